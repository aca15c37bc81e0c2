package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Decision.SchemaViolation;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.rules.Bson.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaTest {
    private static List<SchemaViolation> violations(String schema, Document document) {
        return Schema.compile(doc(schema), "schema").validate(document);
    }

    @Test
    void eachBsonTypeAcceptsItsValuesAndRejectsOthers() {
        Map<String, Object> samples = new java.util.LinkedHashMap<>();
        samples.put("objectId", new ObjectId());
        samples.put("string", "s");
        samples.put("int", 1);
        samples.put("long", 1L);
        samples.put("double", 1.5);
        samples.put("decimal", Decimal128.parse("1.5"));
        samples.put("bool", true);
        samples.put("date", new Date(0));
        samples.put("object", new Document());
        samples.put("array", List.of());
        samples.put("null", null);
        samples.put("binData", new Binary(new byte[] {1}));
        samples.put("timestamp", new BsonTimestamp(1, 1));
        samples.put("regex", new BsonRegularExpression("a"));
        StringBuilder accepted = new StringBuilder();
        for (String type : samples.keySet()) {
            accepted.append(type).append(':');
            for (Map.Entry<String, Object> sample : samples.entrySet()) {
                if (violations("{'properties': {'v': {'bsonType': '" + type + "'}}}", new Document("v", sample.getValue())).isEmpty()) {
                    accepted.append(' ').append(sample.getKey());
                }
            }
            accepted.append('\n');
        }
        assertThat(accepted.toString()).isEqualTo("""
                objectId: objectId
                string: string
                int: int
                long: long
                double: double
                decimal: decimal
                bool: bool
                date: date
                object: object
                array: array
                null: null
                binData: binData
                timestamp: timestamp
                regex: regex
                """);
        assertThat(violations("{'properties': {'v': {'bsonType': 'number'}}}", new Document("v", 1L))).isEmpty();
        assertThat(violations("{'properties': {'v': {'bsonType': 'number'}}}", new Document("v", "1")))
                .isEqualTo(List.of(new SchemaViolation("v", "bsonType", "\"number\"", "string \"1\"")));
    }

    @Test
    void aListOfBsonTypesAcceptsAnyOfThem() {
        assertThat(violations("{'properties': {'v': {'bsonType': ['string', 'null']}}}", new Document("v", null))).isEmpty();
        assertThat(violations("{'properties': {'v': {'bsonType': ['string', 'null']}}}", new Document("v", 3)))
                .isEqualTo(List.of(new SchemaViolation("v", "bsonType", "one of [string, null]", "int 3")));
    }

    @Test
    void realmsFloatTypeAcceptsTheDoubleMongoDbHoldsForIt() {
        String schema = "{'properties': {'v': {'bsonType': 'float'}}}";
        assertThat(violations(schema, new Document("v", 0.75))).isEmpty();
        assertThat(violations(schema, new Document("v", 1L))).isNotEmpty();
        assertThat(violations(schema, new Document("v", "0.75"))).isNotEmpty();
    }

    @Test
    void jsonTypesAreChecked() {
        assertThat(violations("{'properties': {'a': {'type': 'integer'}, 'b': {'type': 'boolean'}}}", doc("{'a': 1.5, 'b': 'x'}")))
                .isEqualTo(List.of(
                        new SchemaViolation("a", "type", "\"integer\"", "double 1.5"),
                        new SchemaViolation("b", "type", "\"boolean\"", "string \"x\"")));
    }

    @Test
    void requiredFieldsMustBePresentAtEveryLevel() {
        assertThat(violations("{'required': ['a'], 'properties': {'n': {'bsonType': 'object', 'required': ['x']}}}", doc("{'n': {}}")))
                .isEqualTo(List.of(
                        new SchemaViolation("a", "required", "the field to be present", "missing"),
                        new SchemaViolation("n.x", "required", "the field to be present", "missing")));
    }

    @Test
    void itemsAreCheckedByIndex() {
        assertThat(violations("{'properties': {'tags': {'bsonType': 'array', 'items': {'bsonType': 'string'}}}}", doc("{'tags': ['a', 2]}")))
                .isEqualTo(List.of(new SchemaViolation("tags.1", "bsonType", "\"string\"", "int 2")));
    }

    @Test
    void enumBoundsLengthsAndPatternsAreChecked() {
        String schema = """
                {'properties': {'status': {'enum': ['draft', 'sent']}, 'n': {'minimum': 1, 'maximum': 10},
                                'm': {'minimum': 0, 'exclusiveMinimum': true},
                                'name': {'minLength': 2, 'maxLength': 3}, 'code': {'pattern': '^[A-Z]+$'}}}""";
        assertThat(violations(schema, doc("{'status': 'lost', 'n': 11, 'm': 0, 'name': 'a', 'code': 'ab'}")).stream()
                .map(SchemaViolation::describe).toList())
                .isEqualTo(List.of(
                        "status: enum expects one of [\"draft\", \"sent\"], got \"lost\"",
                        "n: maximum expects ≤ 10, got 11",
                        "m: minimum expects > 0, got 0",
                        "name: minLength expects at least 2 characters, got 1 characters",
                        "code: pattern expects to match /^[A-Z]+$/, got \"ab\""));
        assertThat(violations(schema, doc("{'status': 'sent', 'n': 10, 'm': 0.5, 'name': 'abc', 'code': 'AB'}"))).isEmpty();
    }

    @Test
    void additionalPropertiesFalseRejectsUnlistedFields() {
        assertThat(violations("{'properties': {'a': {}}, 'additionalProperties': false}", doc("{'a': 1, 'b': 2}")))
                .isEqualTo(List.of(new SchemaViolation("b", "additionalProperties", "no fields besides [a]", "int 2")));
        assertThat(violations("{'properties': {'a': {}}, 'additionalProperties': {'bsonType': 'string'}}", doc("{'a': 1, 'b': 2}")))
                .isEqualTo(List.of(new SchemaViolation("b", "bsonType", "\"string\"", "int 2")));
    }

    @Test
    void anEmptySchemaChecksNothing() {
        assertThat(Schema.compile(new Document(), "schema")).isNull();
    }

    @Test
    void anUnknownBsonTypeIsACompileError() {
        assertThatThrownBy(() -> Schema.compile(doc("{'properties': {'a': {'bsonType': 'text'}}}"), "schema"))
                .isInstanceOf(RuleCompileException.class)
                .hasMessageStartingWith("schema.properties.a.bsonType: unknown type \"text\" (known: objectId, string, int, long, double, decimal, number, bool");
    }

    @Test
    void theTodoExampleSchemaAcceptsAGoodItem() {
        String schema = """
                {'properties': {'_id': {'bsonType': 'objectId'}, 'owner_id': {'bsonType': 'string'},
                                'done': {'bsonType': 'bool'}, 'due': {'bsonType': 'date'}},
                 'required': ['owner_id', 'text']}""";
        Document item = new Document("_id", new ObjectId()).append("owner_id", "u1").append("text", "milk")
                .append("done", false).append("due", new Date());
        assertThat(violations(schema, item)).isEmpty();
        assertThat(Arrays.asList(violations(schema, new Document("owner_id", 5).append("text", "x")).getFirst().describe()))
                .isEqualTo(List.of("owner_id: bsonType expects \"string\", got int 5"));
    }
}
