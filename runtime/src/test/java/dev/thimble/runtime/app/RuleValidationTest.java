package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.thimble.runtime.app.TestApp.app;
import static org.assertj.core.api.Assertions.assertThat;

/** Collection rules, default rules, service rules and can_evaluate: shapes and the expression language. */
class RuleValidationTest {

    private static final String FILE = "services/mongodb-atlas/rules/todo.items.json";
    private static final String KNOWN_PERCENT = "%function, %stringToOid, %oidToString, %stringToUuid, %uuidToString,"
            + " %and, %or, %not, %nor, %exists, %in, %nin";
    private static final String RULE_DOLLAR = "; rule expressions take the $-operators $eq, $ne, $gt, $gte, $lt, $lte, $in,"
            + " $nin, $exists and the %-operators " + KNOWN_PERCENT;
    private static final String EXPANSIONS = "%%true, %%false, %%user, %%root, %%prevRoot, %%this, %%prev, %%args, %%values,"
            + " %%environment, %%request, %%partition";

    /** Problems of one collection rule {@code todo.items} whose roles and filters are given as JSON arrays. */
    private static List<Problem> rule(String roles, String filters) {
        return app().functions("isOwner", "notify").value("{\"name\": \"adminIds\", \"value\": []}")
                .mongo("mongodb-atlas", """
                        {"database": "todo", "collection": "items", "roles": %s, "filters": %s}""".formatted(roles, filters))
                .validate();
    }

    private static List<Problem> roles(String roles) {
        return rule(roles, "[]");
    }

    @Test
    void unknownRuleOperatorIsReportedWithItsPath() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"%or": [{"owner_id": "%%user.id"}, {"%%user.id": {"%contains": "x"}}]}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.%or[1][\"%%user.id\"].%contains",
                        "unknown operator \"%contains\"; known %-operators: " + KNOWN_PERCENT));
    }

    @Test
    void misspelledOperatorGetsASuggestion() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"_id": {"%oid": "%%user.id"}}, "read": {"%exist": true}}]"""))
                .containsExactly(
                        Problem.error(FILE, "roles[0].apply_when._id.%oid", "unknown operator \"%oid\" (did you mean"
                                + " \"%stringToOid\"?); known %-operators: " + KNOWN_PERCENT),
                        Problem.error(FILE, "roles[0].read.%exist", "unknown operator \"%exist\" (did you mean"
                                + " \"%exists\"?); known %-operators: " + KNOWN_PERCENT));
    }

    @Test
    void unknownExpansionIsAnError() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"owner_id": "%%ctx.user.id"}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.owner_id", "unknown expansion \"%%ctx.user.id\";"
                        + " known expansions: %%true, %%false, %%user, %%root, %%prevRoot, %%this, %%prev, %%args, %%values,"
                        + " %%environment, %%request, %%partition"));
    }

    @Test
    void expansionOfAMissingValueIsAnError() {
        assertThat(roles("""
                [{"name": "admin", "apply_when": {"%%user.id": {"$in": "%%values.admins"}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when[\"%%user.id\"].$in",
                        "value \"admins\" does not exist; values in this app: adminIds"));
    }

    @Test
    void queryOperatorInARuleExpressionIsAnError() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"email": {"$regex": "@example.com$"}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.email.$regex",
                        "query operator \"$regex\" is not allowed in a rule expression" + RULE_DOLLAR));
    }

    @Test
    void dollarLogicalOperatorsInARuleExpressionAreAcceptedAsTheServiceDid() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"$or": [{"owner_id": "%%user.id"}, {"$and": [{"a": 1}, {"$nor": [{"b": 2}]}]}]}}]"""))
                .isEmpty();
    }

    @Test
    void aDollarLogicalOperatorWithoutAnArrayIsAnError() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"$or": {"a": 1}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.$or", "%or expects an array of expressions, found an object"));
    }

    @Test
    void unknownDollarOperatorIsAnError() {
        assertThat(roles("""
                [{"name": "owner", "apply_when": {"age": {"$gtee": 18}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.age.$gtee",
                        "unknown operator \"$gtee\" (did you mean \"$gte\"?)" + RULE_DOLLAR));
    }

    @Test
    void queryOperatorsAreAllowedInFilterQueries() {
        assertThat(rule("[]", """
                [{"name": "recent", "apply_when": {}, "query": {"$or": [{"owner_id": "%%user.id"},
                  {"tags": {"$elemMatch": {"$regex": "^pub", "$options": "i"}}}], "_id": {"$oid": "5f65a0000000000000000001"}}}]"""))
                .isEmpty();
    }

    @Test
    void unknownQueryOperatorInAFilterIsAnError() {
        assertThat(rule("[]", """
                [{"name": "f", "query": {"tags": {"$contains": "x"}}}]"""))
                .containsExactly(Problem.error(FILE, "filters[0].query.tags.$contains", "unknown query operator \"$contains\";"
                        + " a filter query takes MongoDB query operators such as $eq, $in, $and, $or, $regex, $elemMatch"));
    }

    @Test
    void textSearchInAFilterIsAWarningAboutTheEmbeddedDatabase() {
        assertThat(rule("[]", """
                [{"name": "f", "query": {"$text": {"$search": "milk"}}}]"""))
                .containsExactly(Problem.warning(FILE, "filters[0].query.$text",
                        "$text is not supported by the embedded database; works on a real MongoDB"));
    }

    @Test
    void functionOperatorWithoutNameIsAnError() {
        assertThat(roles("""
                [{"name": "viaFn", "apply_when": {"%%true": {"%function": {"arguments": ["%%root"]}}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.%%true.%function",
                        "%function has no \"name\"; %function expects {\"name\": \"<function>\", \"arguments\": [...]};"
                                + " functions in this app: isOwner, notify"));
    }

    @Test
    void functionOperatorWithNonArrayArgumentsIsAnError() {
        assertThat(roles("""
                [{"name": "viaFn", "apply_when": {"%%true": {"%function": {"name": "isOwner", "arguments": "%%root"}}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.%%true.%function.arguments",
                        "\"arguments\" must be an array, found \"%%root\""));
    }

    @Test
    void functionOperatorNamingAMissingFunctionIsAnError() {
        assertThat(roles("""
                [{"name": "viaFn", "apply_when": {"%%true": {"%function": {"name": "canAccess", "arguments": []}}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.%%true.%function.name",
                        "function \"canAccess\" does not exist; functions in this app: isOwner, notify"));
    }

    @Test
    void conversionOperatorWithANestedOperatorIsAnError() {
        assertThat(roles("""
                [{"name": "r", "apply_when": {"_id": {"%stringToOid": {"%function": {"name": "isOwner"}}}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when._id.%stringToOid",
                        "%stringToOid takes a literal or an expansion, not a nested operator (found \"%function\")"));
    }

    @Test
    void conversionOfAnExtendedJsonLiteralIsFine() {
        assertThat(roles("""
                [{"name": "r", "apply_when": {"owner_hex": {"%oidToString": {"$oid": "5f65a0000000000000000001"}}}}]"""))
                .isEmpty();
    }

    @Test
    void logicalOperatorNeedsAnArray() {
        assertThat(roles("""
                [{"name": "r", "apply_when": {"%or": {"owner_id": "%%user.id"}}}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].apply_when.%or",
                        "%or expects an array of expressions, found an object"));
    }

    @Test
    void permissionMustBeBooleanOrExpression() {
        assertThat(roles("""
                [{"name": "r", "apply_when": {}, "read": "yes", "write": 1}]"""))
                .containsExactly(
                        Problem.error(FILE, "roles[0].read", "expected true, false or an expression object, found \"yes\""),
                        Problem.error(FILE, "roles[0].write", "expected true, false or an expression object, found 1"));
    }

    @Test
    void nestedFieldRulesAreCheckedWithTheirPath() {
        assertThat(roles("""
                [{"name": "r", "fields": {"address": {"read": true, "fields": {"street": {"write": {"%%usr.id": "x"}}}}},
                  "additional_fields": {"read": {"%%prevRooot": {"%exists": false}}}}]"""))
                .containsExactly(
                        Problem.error(FILE, "roles[0].fields.address.fields.street.write[\"%%usr.id\"]",
                                "unknown expansion \"%%usr.id\" (did you mean \"%%user\"?); known expansions: " + EXPANSIONS),
                        Problem.error(FILE, "roles[0].additional_fields.read.%%prevRooot",
                                "unknown expansion \"%%prevRooot\" (did you mean \"%%prevRoot\"?); known expansions: " + EXPANSIONS));
    }

    @Test
    void documentFiltersAreChecked() {
        assertThat(roles("""
                [{"name": "team", "apply_when": {}, "document_filters": {"read": {"team": "%%user.custom_data.team"},
                  "write": {"owner_id": {"%stringToOid": {"$eq": "%%user.id"}}}}, "read": true, "write": true}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].document_filters.write.owner_id.%stringToOid",
                        "%stringToOid takes a literal or an expansion, not a nested operator (found \"$eq\")"));
    }

    @Test
    void roleWithoutNameIsAnError() {
        assertThat(roles("""
                [{"apply_when": {}, "read": true}]"""))
                .containsExactly(Problem.error(FILE, "roles[0].name",
                        "\"name\" is missing; every role needs a name (at most 100 characters)"));
    }

    @Test
    void roleNameLongerThanAHundredCharactersIsAnError() {
        assertThat(roles("[{\"name\": \"" + "r".repeat(101) + "\"}]"))
                .containsExactly(Problem.error(FILE, "roles[0].name", "role name is 101 characters long; at most 100 are allowed"));
    }

    @Test
    void filterWithoutQueryIsAnError() {
        assertThat(rule("[]", """
                [{"name": "mine", "apply_when": {}, "projection": {}}]"""))
                .containsExactly(Problem.error(FILE, "filters[0].query", "\"query\" is missing; a filter needs a query,"
                        + " e.g. {\"owner_id\": \"%%user.id\"} (use {} to add no condition)"));
    }

    @Test
    void projectionMixingInclusionAndExclusionIsAnError() {
        assertThat(rule("[]", """
                [{"name": "mine", "query": {}, "projection": {"text": 1, "secret": 0}}]"""))
                .containsExactly(Problem.error(FILE, "filters[0].projection", "projection mixes inclusion (1) and exclusion (0);"
                        + " use only 1s or only 0s (only _id may be excluded from an inclusion projection)"));
    }

    @Test
    void excludingIdFromAnInclusionProjectionIsFine() {
        assertThat(rule("[]", """
                [{"name": "a", "query": {}, "projection": {"_id": 0, "text": 1}},
                 {"name": "b", "query": {}, "projection": {"done": true}}]""")).isEmpty();
    }

    @Test
    void filtersWithDifferentProjectionKindsAreAnError() {
        assertThat(rule("[]", """
                [{"name": "public", "query": {}, "projection": {"text": 1}},
                 {"name": "noSecrets", "query": {}, "projection": {"secret": 0}}]"""))
                .containsExactly(Problem.error(FILE, "filters[1].projection", "filter \"noSecrets\" excludes fields but"
                        + " filter \"public\" includes fields; all filters of a rule must use the same projection kind"));
    }

    @Test
    void schemaIsNotReadAsAnExpression() {
        assertThat(app().mongo("mongodb-atlas", """
                {"database": "todo", "collection": "items", "roles": [],
                 "schema": {"bsonType": "object", "required": ["text"], "additionalProperties": false,
                            "properties": {"text": {"bsonType": "string", "pattern": "^%%", "$comment": "x"}}}}""")
                .validate()).isEmpty();
    }

    @Test
    void defaultRuleIsChecked() {
        List<Problem> problems = app().service(new ServiceDef(Json.parse("{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\"}"),
                List.of(), Json.parse("""
                        {"roles": [{"name": "all", "apply_when": {"%%request.remoteIPAddress": {"%inn": ["10.0.0.1"]}}}], "filters": []}"""),
                List.of(), List.of())).validate();

        assertThat(problems).containsExactly(Problem.error("services/mongodb-atlas/default_rule.json",
                "roles[0].apply_when[\"%%request.remoteIPAddress\"].%inn",
                "unknown operator \"%inn\" (did you mean \"%in\"?); known %-operators: " + KNOWN_PERCENT));
    }

    @Test
    void canEvaluateIsChecked() {
        assertThat(app().functionConfig("""
                {"name": "pay", "can_evaluate": {"%%true": {"%function": {"name": "isAdmin", "arguments": ["%%user.id"]}}}}""",
                TestApp.SOURCE).validate()).containsExactly(Problem.error("functions/pay/config.json",
                "can_evaluate.%%true.%function.name", "function \"isAdmin\" does not exist; functions in this app: pay"));
    }

    @Test
    void serviceRuleWhenIsChecked() {
        List<Problem> problems = app().service(TestApp.http("http", List.of(TestApp.serviceRule("""
                {"name": "api", "actions": ["get"], "when": {"%%arguments.url.host": "api.example.com"}}""")), List.of()))
                .validate();

        assertThat(problems).containsExactly(Problem.error("services/http/rules/api.json", "when[\"%%arguments.url.host\"]",
                "unknown expansion \"%%arguments.url.host\"; known expansions: " + EXPANSIONS));
    }

    @Test
    void serviceRuleOnAMongoServiceIsAnError() {
        List<Problem> problems = app().service(new ServiceDef(Json.parse("{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\"}"),
                List.of(), null, List.of(TestApp.serviceRule("{\"name\": \"api\", \"actions\": [\"get\"], \"when\": {}}")),
                List.of())).validate();

        assertThat(problems).containsExactly(Problem.error("services/mongodb-atlas/rules/api.json", "",
                "rule \"api\" is a service rule (name, actions, when), but \"mongodb-atlas\" is a MongoDB service;"
                        + " MongoDB services take collection rules (<database>.<collection>.json with roles and filters)"));
    }
}
