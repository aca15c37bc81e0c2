package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder's form gives back exactly the expression it shows, for every expression of the examples. */
class ExpressionFormTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyExampleExpressionSurvivesTheBuilderForm() throws IOException {
        List<JsonNode> expressions = new ArrayList<>();
        for (Path file : RoundTripTest.exampleRuleFiles()) {
            JsonNode rule = MAPPER.readTree(file.toFile());
            rule.path("roles").forEach(r -> {
                expressions.add(r.get("apply_when"));
                r.path("fields").forEach(f -> {
                    if (f.has("write")) {
                        expressions.add(f.get("write"));
                    }
                });
            });
            rule.path("filters").forEach(f -> expressions.add(f.get("apply_when")));
        }
        expressions.removeIf(e -> e == null);
        int asClauses = 0;
        for (JsonNode e : expressions) {
            ExpressionForm form = ExpressionForm.of(Expressions.parse(e));
            if (!form.isRaw()) {
                asClauses++;
            }
            assertThat(form.toExpression("x").toJson().toString()).as(e.toString()).isEqualTo(e.toString());
        }
        assertThat(asClauses).isGreaterThan(expressions.size() / 2);
    }

    @Test
    void aStringThatLooksLikeJsonStaysAString() throws IOException {
        JsonNode e = MAPPER.readTree("{\"%%user.custom_data.flag\": \"true\", \"level\": \"3\"}");
        ExpressionForm form = ExpressionForm.of(Expressions.parse(e));
        assertThat(form.clauses().get(0).value()).isEqualTo("\"true\"");
        assertThat(form.toExpression("x").toJson()).isEqualTo(e);
    }

    @Test
    void theSameExpansionTwiceInOneObjectIsRefusedWithAHint() {
        ExpressionForm form = new ExpressionForm(ExpressionForm.Join.ALL,
                List.of(new ExpressionForm.Clause("a", "", "1"), new ExpressionForm.Clause("a", "", "2")), null);
        assertThatThrownBy(() -> form.toExpression("apply_when")).isInstanceOf(DesignException.class).hasMessageContaining("%and");
    }

    @Test
    void anUnknownOperatorIsRefused() {
        ExpressionForm form = new ExpressionForm(ExpressionForm.Join.ALL, List.of(new ExpressionForm.Clause("a", "$regex", "x")), null);
        assertThatThrownBy(() -> form.toExpression("apply_when")).isInstanceOf(DesignException.class).hasMessageContaining("$regex");
    }

    @Test
    void aFunctionCallIsWrittenAsPercentFunctionNameAndArguments() throws IOException {
        ExpressionForm form = new ExpressionForm(ExpressionForm.Join.AND, List.of(
                new ExpressionForm.Clause("%%this", "$ne", "%%prev"),
                new ExpressionForm.Clause("%%true", "", "%function appendsOnly(%%prev, %%this)")), null);
        JsonNode expected = MAPPER.readTree("{\"%and\": [{\"%%this\": {\"$ne\": \"%%prev\"}}, {\"%%true\": {\"%function\":"
                + " {\"name\": \"appendsOnly\", \"arguments\": [\"%%prev\", \"%%this\"]}}}]}");
        assertThat(form.toExpression("write").toJson()).isEqualTo(expected);
        assertThat(ExpressionForm.of(Expressions.parse(expected)).clauses().get(1).value()).isEqualTo("%function appendsOnly(%%prev, %%this)");
    }

    @Test
    void functionArgumentsMayBeJsonWithCommas() {
        JsonNode v = JsonValues.value("%function canAccess(%%root._id, {\"a\": [1, 2]}, \"x,y\")");
        assertThat(v.toString()).isEqualTo("{\"%function\":{\"name\":\"canAccess\",\"arguments\":[\"%%root._id\",{\"a\":[1,2]},\"x,y\"]}}");
        assertThat(JsonValues.value(JsonValues.text(v))).isEqualTo(v);
    }
}
