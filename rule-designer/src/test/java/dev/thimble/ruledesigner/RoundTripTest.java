package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.ServiceDef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Designer ↔ JSON is lossless: every example rule file and a generated space of rules come back byte for byte. */
class RoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<Path> exampleRuleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("../examples"))) {
            return files.filter(p -> p.toString().contains("/rules/") && p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyExampleRuleFileComesBackByteForByte() throws IOException {
        List<Path> files = exampleRuleFiles();
        int collectionRules = 0;
        for (Path exampleDir : List.of(Path.of("../examples/clinic"), Path.of("../examples/todo"))) {
            AppModel app = AppBundles.read(exampleDir).app();
            for (ServiceDef service : app.services()) {
                for (CollectionRuleDef rule : service.collectionRules()) {
                    Path file = exampleDir.resolve("services/" + service.name() + "/rules/" + rule.namespace() + ".json");
                    RuleDesign design = RuleDesign.of(rule);
                    assertThat(design.toText()).as(file.toString()).isEqualTo(Files.readString(file));
                    assertThat(design.toRuleDef()).isEqualTo(rule);
                    collectionRules++;
                }
            }
        }
        assertThat(collectionRules).isGreaterThanOrEqualTo(5);
        assertThat(files).isNotEmpty();
    }

    @Test
    void everyExpressionOfTheExamplesParsesBackToTheSameJson() throws IOException {
        int expressions = 0;
        for (Path file : exampleRuleFiles()) {
            JsonNode rule = MAPPER.readTree(file.toFile());
            for (JsonNode role : rule.path("roles")) {
                for (String key : List.of("apply_when", "read", "write", "insert", "delete")) {
                    if (role.has(key)) {
                        assertSame(role.get(key));
                        expressions++;
                    }
                }
                for (JsonNode field : role.path("fields")) {
                    for (String key : List.of("read", "write")) {
                        if (field.has(key)) {
                            assertSame(field.get(key));
                            expressions++;
                        }
                    }
                }
            }
            for (JsonNode filter : rule.path("filters")) {
                assertSame(filter.get("apply_when"));
                expressions++;
            }
        }
        assertThat(expressions).isGreaterThan(20);
    }

    @Test
    void theBuilderShowsStructureAndKeepsWhatItCannotExpressAsRaw() throws IOException {
        Expression e = Expressions.parse(MAPPER.readTree("""
                {"%or": [{"owner_id": "%%user.id"}, {"%%user.id": {"$in": "%%root.shared_with"}},
                         {"%%true": {"%function": {"name": "canAccess", "arguments": ["%%root._id"]}}},
                         {"odd": {"$in": [1], "$exists": true}}]}"""));
        Expression.Or or = (Expression.Or) e;
        assertThat(or.parts().get(0)).isEqualTo(new Expression.Compare("owner_id", null, MAPPER.readTree("\"%%user.id\"")));
        assertThat(or.parts().get(1)).isEqualTo(new Expression.Compare("%%user.id", "$in", MAPPER.readTree("\"%%root.shared_with\"")));
        assertThat(((Expression.Compare) or.parts().get(2)).function().name()).isEqualTo("canAccess");
        assertThat(or.parts().get(3)).isInstanceOf(Expression.Raw.class);
        assertThat(e.toJson().toString()).isEqualTo(MAPPER.readTree("""
                {"%or": [{"owner_id": "%%user.id"}, {"%%user.id": {"$in": "%%root.shared_with"}},
                         {"%%true": {"%function": {"name": "canAccess", "arguments": ["%%root._id"]}}},
                         {"odd": {"$in": [1], "$exists": true}}]}""").toString());
    }

    /** Role shapes × key orders × unknown fields, each edited (rename and back, move and back) and printed. */
    @Test
    void generatedRulesSurviveEditsUnchanged() {
        Random random = new Random(8);
        List<String> applyWhens = List.of("{}", "{\"owner_id\": \"%%user.id\"}", "{\"%%user.custom_data.team\": \"red\", \"team\": \"%%user.custom_data.team\"}",
                "{\"%%user.type\": \"server\"}", "{\"%%user.identities.providerType\": {\"$nin\": [\"anon-user\"]}}",
                "{\"%and\": [{\"%%user.id\": {\"$exists\": true}}, {\"%not\": {\"team\": \"blue\"}}]}",
                "{\"%%true\": {\"%function\": {\"name\": \"canAccess\", \"arguments\": [\"%%root._id\", \"%%user.id\"]}}}");
        List<String> permissions = List.of("true", "false", "{\"owner_id\": \"%%user.id\"}", "{\"%%prevRoot\": {\"%exists\": false}}");
        int rules = 0;
        for (int n = 0; n < 300; n++) {
            ObjectNode rule = MAPPER.createObjectNode();
            List<Runnable> parts = new ArrayList<>();
            parts.add(() -> rule.put("database", "db"));
            parts.add(() -> rule.put("collection", "c"));
            ArrayNode roles = MAPPER.createArrayNode();
            int roleCount = 1 + random.nextInt(3);
            for (int r = 0; r < roleCount; r++) {
                roles.add(role(random, "r" + r, applyWhens, permissions));
            }
            parts.add(() -> rule.set("roles", roles));
            parts.add(() -> rule.set("filters", filters(random)));
            if (random.nextBoolean()) {
                parts.add(() -> rule.set("schema", json("{\"properties\": {\"owner_id\": {\"bsonType\": \"string\"}}}")));
            }
            if (random.nextBoolean()) {
                parts.add(() -> rule.put("x_unknown_" + random.nextInt(9), "kept"));
            }
            Collections.shuffle(parts, random);
            parts.forEach(Runnable::run);
            String text = dev.thimble.runtime.app.Json.of(rule).toFileText();
            RuleDesign design = RuleDesign.parse(text);
            assertThat(design.toText()).isEqualTo(text);
            design.renameRole(0, "renamed");
            design.renameRole(0, "r0");
            if (roleCount > 1) {
                design.moveRole(0, roleCount - 1);
                design.moveRole(roleCount - 1, 0);
            }
            design.setApplyWhen(0, design.applyWhen(0));
            assertThat(design.toText()).as(text).isEqualTo(text);
            rules++;
        }
        assertThat(rules).isEqualTo(300);
    }

    private static ObjectNode role(Random random, String name, List<String> applyWhens, List<String> permissions) {
        List<Runnable> parts = new ArrayList<>();
        ObjectNode role = MAPPER.createObjectNode();
        parts.add(() -> role.put("name", name));
        parts.add(() -> role.set("apply_when", json(applyWhens.get(random.nextInt(applyWhens.size())))));
        int shape = random.nextInt(3);
        if (shape == 0) {
            parts.add(() -> role.set("read", json(permissions.get(random.nextInt(permissions.size())))));
            parts.add(() -> role.set("write", json(permissions.get(random.nextInt(permissions.size())))));
        } else if (shape == 1) {
            parts.add(() -> role.set("fields", json("{\"secret\": {\"read\": false, \"write\": false}, \"address\": {\"fields\": {\"city\": {\"read\": true}}}}")));
            parts.add(() -> role.set("additional_fields", json("{\"read\": true, \"write\": {\"owner_id\": \"%%user.id\"}}")));
        } else {
            parts.add(() -> role.set("document_filters", json("{\"read\": {\"team\": \"%%user.custom_data.team\"}, \"write\": {\"owner_id\": \"%%user.id\"}}")));
            parts.add(() -> role.put("read", true));
        }
        if (random.nextBoolean()) {
            parts.add(() -> role.set("insert", json(permissions.get(random.nextInt(permissions.size())))));
        }
        if (random.nextBoolean()) {
            parts.add(() -> role.put("delete", random.nextBoolean()));
        }
        if (random.nextBoolean()) {
            parts.add(() -> role.put("search", false));
        }
        if (random.nextInt(4) == 0) {
            parts.add(() -> role.put("x_note", "unknown fields survive"));
        }
        Collections.shuffle(parts, random);
        parts.forEach(Runnable::run);
        return role;
    }

    private static ArrayNode filters(Random random) {
        ArrayNode filters = MAPPER.createArrayNode();
        if (random.nextBoolean()) {
            filters.add(json("{\"name\": \"mine\", \"apply_when\": {\"%%user.id\": {\"$exists\": true}}, \"query\": {\"owner_id\": \"%%user.id\"}, \"projection\": {}}"));
        }
        return filters;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertSame(JsonNode node) {
        assertThat(Expressions.parse(node).toJson().toString()).isEqualTo(node.toString());
    }
}
