package dev.thimble.runtime.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.expressions.ExpressionWalker.Site;
import dev.thimble.runtime.expressions.ExpressionWalker.Slot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ExpressionWalkerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void sitesOfRuleListEveryExpressionWithItsPathAndSlot() {
        JsonNode rule = json("""
                {"roles": [{"name": "r", "apply_when": {"a": 1}, "document_filters": {"read": true, "write": false},
                            "read": true, "insert": false,
                            "fields": {"address": {"read": true, "fields": {"street": {"write": {"b": 2}}}}, "user.name": {"read": false}},
                            "additional_fields": {"write": false}}],
                 "filters": [{"name": "f", "apply_when": {}, "query": {"owner": "%%user.id"}, "projection": {"x": 1}}],
                 "schema": {"properties": {}}}""");

        assertThat(ExpressionWalker.sitesOfRule(rule)).extracting(Site::path, Site::slot).containsExactly(
                tuple("roles[0].apply_when", Slot.APPLY_WHEN),
                tuple("roles[0].document_filters.read", Slot.DOCUMENT_FILTER),
                tuple("roles[0].document_filters.write", Slot.DOCUMENT_FILTER),
                tuple("roles[0].read", Slot.PERMISSION),
                tuple("roles[0].insert", Slot.PERMISSION),
                tuple("roles[0].fields.address.read", Slot.PERMISSION),
                tuple("roles[0].fields.address.fields.street.write", Slot.PERMISSION),
                tuple("roles[0].fields[\"user.name\"].read", Slot.PERMISSION),
                tuple("roles[0].additional_fields.write", Slot.PERMISSION),
                tuple("filters[0].apply_when", Slot.APPLY_WHEN),
                tuple("filters[0].query", Slot.FILTER_QUERY));
    }

    @Test
    void sitesOfRuleSkipPartsOfTheWrongShape() {
        assertThat(ExpressionWalker.sitesOfRule(json("""
                {"roles": {"name": "r"}, "filters": ["f", {"query": {}}]}""")))
                .extracting(Site::path).containsExactly("filters[1].query");
    }

    @Test
    void walkVisitsOperatorsAndExpansionsInDocumentOrder() {
        List<String> seen = new ArrayList<>();
        ExpressionWalker.walk("apply_when", json("""
                {"%or": [{"owner_id": "%%user.id"}, {"%%root.shared": {"$in": ["%%user.id", "x"]}}],
                 "%%true": {"%function": {"name": "f", "arguments": ["%%root"]}}}"""), new ExpressionWalker.Visitor() {
            @Override
            public void expansion(String path, String expansion) {
                seen.add("expansion " + path + " " + expansion);
            }

            @Override
            public void percentOperator(String path, String operator, JsonNode argument) {
                seen.add("% " + path + " " + operator);
            }

            @Override
            public void dollarOperator(String path, String operator, JsonNode argument) {
                seen.add("$ " + path + " " + operator);
            }
        });

        assertThat(seen).containsExactly(
                "% apply_when.%or %or",
                "expansion apply_when.%or[0].owner_id %%user.id",
                "expansion apply_when.%or[1][\"%%root.shared\"] %%root.shared",
                "$ apply_when.%or[1][\"%%root.shared\"].$in $in",
                "expansion apply_when.%or[1][\"%%root.shared\"].$in[0] %%user.id",
                "expansion apply_when.%%true %%true",
                "% apply_when.%%true.%function %function",
                "expansion apply_when.%%true.%function.arguments[0] %%root");
    }

    @Test
    void walkDoesNotEnterExtendedJsonLiteralsOrOtherLanguages() {
        List<String> seen = new ArrayList<>();
        ExpressionWalker.walk("query", json("""
                {"_id": {"$oid": "5f65a0000000000000000001"}, "$expr": {"$gt": ["$a", "%%user.x"]}}"""), new ExpressionWalker.Visitor() {
            @Override
            public void expansion(String path, String expansion) {
                seen.add(path);
            }

            @Override
            public void dollarOperator(String path, String operator, JsonNode argument) {
                seen.add(path);
            }
        });

        assertThat(seen).containsExactly("query.$expr");
    }

    @Test
    void keysThatAreNotPlainWordsAreQuoted() {
        assertThat(ExpressionWalker.child("roles[0].fields", "a.b")).isEqualTo("roles[0].fields[\"a.b\"]");
        assertThat(ExpressionWalker.child("x", "say \"hi\"")).isEqualTo("x[\"say \\\"hi\\\"\"]");
        assertThat(ExpressionWalker.child("", "roles")).isEqualTo("roles");
    }
}
