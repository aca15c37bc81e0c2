package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.thimble.runtime.rules.Bson.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionTest {
    private static final Principal USER = Principal.normal("u1")
            .withData(doc("{'email': 'ann@example.com', 'name': 'Ann'}"))
            .withCustomData(doc("{'team': 'red', 'manages': ['bob@example.com', 'cy@example.com'], 'level': 3}"))
            .withIdentities(List.of(new Principal.Identity("ann@example.com", "local-userpass"), new Principal.Identity("g-1", "oauth2-google")));

    private static final RuleContext CTX = RuleContext.forUser(USER)
            .values(Map.of("adminIds", List.of("u9", "u1"), "limit", 10))
            .environment("production", Map.of("baseUrl", "https://api.example.com"))
            .request(doc("{'httpMethod': 'POST', 'remoteIPAddress': '10.0.0.1', 'requestHeaders': {'X-Key': ['k1']}}"))
            .args(doc("{'url': {'host': 'api.example.com', 'scheme': 'https'}, 'to': 'x@y.z'}"))
            .partition("team=red")
            .build();

    private static boolean holds(String expression, RuleContext ctx) {
        return ExpressionCompiler.forMongoRules().compile(doc("{'e': " + expression + "}").get("e"), "e").test(ctx);
    }

    private static boolean holdsOn(String expression, String root) {
        return holds(expression, CTX.withRoot(doc(root), null));
    }

    private static RuleCompileException compileError(String expression) {
        try {
            ExpressionCompiler.forMongoRules().compile(doc("{'e': " + expression + "}").get("e"), "roles[0].apply_when");
        } catch (RuleCompileException e) {
            return e;
        }
        throw new AssertionError("compiled: " + expression);
    }

    // ---- literals, objects ---------------------------------------------------------------------

    @Test
    void trueAndFalseAreThemselves() {
        assertThat(List.of(holds("true", CTX), holds("false", CTX))).isEqualTo(List.of(true, false));
    }

    @Test
    void emptyObjectIsTrue() {
        assertThat(holds("{}", CTX)).isTrue();
    }

    @Test
    void keysOfAnObjectAreAnded() {
        assertThat(List.of(
                holdsOn("{'a': 1, 'b': 2}", "{'a': 1, 'b': 2}"),
                holdsOn("{'a': 1, 'b': 2}", "{'a': 1, 'b': 3}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void plainKeyReadsTheDocumentInMongoRules() {
        assertThat(holdsOn("{'owner_id': '%%user.id'}", "{'owner_id': 'u1'}")).isTrue();
    }

    @Test
    void plainKeyReadsTheArgumentsInServiceRules() {
        CompiledExpression e = ExpressionCompiler.forServiceRules().compile(doc("{'to': 'x@y.z', 'url.scheme': 'https'}"), "when");
        assertThat(e.test(CTX)).isTrue();
    }

    @Test
    void nestedPlainKeyFollowsDots() {
        assertThat(holdsOn("{'address.city': 'Oslo'}", "{'address': {'city': 'Oslo'}}")).isTrue();
    }

    // ---- equality --------------------------------------------------------------------------------

    @Test
    void numbersEqualByValueAcrossIntLongDoubleAndDecimal() {
        Document root = new Document("i", 5).append("l", 5L).append("d", 5.0).append("m", Decimal128.parse("5.00"));
        RuleContext ctx = CTX.withRoot(root, null);
        assertThat(List.of(holds("{'i': '%%root.l'}", ctx), holds("{'l': '%%root.d'}", ctx), holds("{'d': '%%root.m'}", ctx),
                holds("{'m': 5}", ctx), holds("{'i': 5.5}", ctx)))
                .isEqualTo(List.of(true, true, true, true, false));
    }

    @Test
    void anArrayFieldEqualsAScalarItContains() {
        assertThat(List.of(
                holdsOn("{'shared_with': '%%user.id'}", "{'shared_with': ['u3', 'u1']}"),
                holdsOn("{'shared_with': '%%user.id'}", "{'shared_with': ['u3']}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void aScalarFieldEqualsAnArrayValueThatContainsIt() {
        // the docs' Manager example: { "email": "%%user.custom_data.manages" }
        assertThat(List.of(
                holdsOn("{'email': '%%user.custom_data.manages'}", "{'email': 'cy@example.com'}"),
                holdsOn("{'email': '%%user.custom_data.manages'}", "{'email': 'dan@example.com'}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void arraysEqualWhenTheyHaveTheSameElementsInOrder() {
        assertThat(List.of(holdsOn("{'a': [1, 2]}", "{'a': [1, 2]}"), holdsOn("{'a': [1, 2]}", "{'a': [2, 1]}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void documentsEqualFieldByFieldInOrder() {
        assertThat(List.of(
                holdsOn("{'a': {'x': 1, 'y': 2}}", "{'a': {'x': 1, 'y': 2.0}}"),
                holdsOn("{'a': {'x': 1, 'y': 2}}", "{'a': {'y': 2, 'x': 1}}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void aMissingFieldEqualsOnlyNull() {
        assertThat(List.of(holdsOn("{'gone': null}", "{}"), holdsOn("{'gone': 'x'}", "{}"), holdsOn("{'here': null}", "{'here': null}")))
                .isEqualTo(List.of(true, false, true));
    }

    @Test
    void anExpansionThatResolvesToNothingMatchesNothingNotEvenAMissingField() {
        assertThat(holdsOn("{'team': '%%user.custom_data.unknown'}", "{}")).isFalse();
    }

    @Test
    void objectIdsAndStringsAreNotEqual() {
        ObjectId id = new ObjectId();
        assertThat(holds("{'owner': '" + id.toHexString() + "'}", CTX.withRoot(new Document("owner", id), null))).isFalse();
    }

    @Test
    void aRegularExpressionLiteralMatchesStrings() {
        String expression = "{'email': {'$regularExpression': {'pattern': '@example[.]com$', 'options': 'i'}}}";
        assertThat(List.of(holdsOn(expression, "{'email': 'a@Example.com'}"), holdsOn(expression, "{'email': 'a@other.org'}")))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void regexIsNotARuleOperator() {
        assertThat(compileError("{'email': {'$regex': 'x'}}").detail()).isEqualTo("unknown operator $regex");
    }

    // ---- comparison operators --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} on {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "{'n': {'$eq': 3}}        | {'n': 3}          | true",
            "{'n': {'$eq': 3}}        | {'n': 4}          | false",
            "{'n': {'$ne': 3}}        | {'n': 4}          | true",
            "{'n': {'$ne': 3}}        | {'n': 3}          | false",
            "{'n': {'$ne': 3}}        | {}                | true",
            "{'n': {'$gt': 3}}        | {'n': 4}          | true",
            "{'n': {'$gt': 3}}        | {'n': 3}          | false",
            "{'n': {'$gte': 3}}       | {'n': 3}          | true",
            "{'n': {'$gte': 3}}       | {'n': 2.5}        | false",
            "{'n': {'$lt': 3}}        | {'n': 2}          | true",
            "{'n': {'$lt': 3}}        | {'n': 3}          | false",
            "{'n': {'$lte': 3}}       | {'n': 3}          | true",
            "{'n': {'$lte': 3}}       | {'n': 3.5}        | false",
            "{'n': {'$gt': 3}}        | {'n': '4'}        | false",
            "{'n': {'$gt': 3}}        | {}                | false",
            "{'n': {'$gt': 3}}        | {'n': [1, 5]}     | true",
            "{'s': {'$lt': 'b'}}      | {'s': 'a'}        | true",
            "{'n': {'$gt': 1, '$lt': 5}} | {'n': 3}       | true",
            "{'n': {'$gt': 1, '$lt': 5}} | {'n': 7}       | false",
            "{'n': {'$in': [1, 2]}}   | {'n': 2}          | true",
            "{'n': {'$in': [1, 2]}}   | {'n': 3}          | false",
            "{'n': {'%in': [1, 2]}}   | {'n': 1}          | true",
            "{'n': {'$in': [1, 2]}}   | {'n': [3, 2]}     | true",
            "{'n': {'$nin': [1, 2]}}  | {'n': 3}          | true",
            "{'n': {'$nin': [1, 2]}}  | {'n': 2}          | false",
            "{'n': {'%nin': [1, 2]}}  | {'n': 1}          | false",
            "{'n': {'$in': [null]}}   | {}                | true",
            "{'n': {'$exists': true}} | {'n': null}       | true",
            "{'n': {'$exists': true}} | {}                | false",
            "{'n': {'%exists': false}} | {}               | true",
            "{'n': {'%exists': false}} | {'n': 0}         | false",
            "{'n': {'%exists': 1}}    | {'n': 0}          | true",
    })
    void comparisonOperatorsFollowQuerySemantics(String expression, String root, boolean expected) {
        assertThat(holdsOn(expression, root)).isEqualTo(expected);
    }

    @Test
    void inTakesAnExpansionOfAnArray() {
        // spec example 2's equivalent form
        assertThat(List.of(
                holdsOn("{'%%user.id': {'$in': '%%root.shared_with'}}", "{'shared_with': ['u1']}"),
                holdsOn("{'%%user.id': {'$in': '%%root.shared_with'}}", "{'shared_with': ['u2']}"),
                holdsOn("{'%%user.id': {'$in': '%%root.shared_with'}}", "{}")))
                .isEqualTo(List.of(true, false, false));
    }

    @Test
    void ninOfAMissingListHolds() {
        assertThat(holdsOn("{'%%user.id': {'$nin': '%%root.blocked'}}", "{}")).isTrue();
    }

    @Test
    void expansionsInsideAnInArrayAreEvaluated() {
        assertThat(List.of(
                holds("{'%%user.id': {'$in': ['%%values.limit', '%%root.owner']}}", CTX.withRoot(doc("{'owner': 'u1'}"), null)),
                holds("{'%%user.id': {'$in': ['%%values.limit', '%%root.owner']}}", CTX.withRoot(doc("{'owner': 'u2'}"), null))))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void expansionsInsideADocumentValueAreEvaluated() {
        assertThat(holdsOn("{'meta': {'by': '%%user.id', 'team': '%%user.custom_data.team'}}",
                "{'meta': {'by': 'u1', 'team': 'red'}}")).isTrue();
    }

    // ---- logical operators -----------------------------------------------------------------------

    @Test
    void andOrNotNorCombineExpressions() {
        String root = "{'a': 1, 'b': 2}";
        assertThat(List.of(
                holdsOn("{'%and': [{'a': 1}, {'b': 2}]}", root),
                holdsOn("{'%and': [{'a': 1}, {'b': 3}]}", root),
                holdsOn("{'%or': [{'a': 9}, {'b': 2}]}", root),
                holdsOn("{'%or': [{'a': 9}, {'b': 9}]}", root),
                holdsOn("{'%not': {'a': 9}}", root),
                holdsOn("{'%not': {'a': 1}}", root),
                holdsOn("{'%nor': [{'a': 9}, {'b': 9}]}", root),
                holdsOn("{'%nor': [{'a': 9}, {'b': 2}]}", root)))
                .isEqualTo(List.of(true, false, true, false, true, false, true, false));
    }

    @Test
    void aLogicalOperatorInAValuePositionIsABoolean() {
        assertThat(holdsOn("{'%%true': {'%or': [{'a': 9}, {'a': 1}]}}", "{'a': 1}")).isTrue();
    }

    // ---- expansions ------------------------------------------------------------------------------

    @Test
    void userExpansionsReadTheUserObject() {
        assertThat(List.of(
                holds("{'%%user.id': 'u1'}", CTX),
                holds("{'%%user.type': 'normal'}", CTX),
                holds("{'%%user.data.email': 'ann@example.com'}", CTX),
                holds("{'%%user.custom_data.team': 'red'}", CTX),
                holds("{'%%user.identities.providerType': 'oauth2-google'}", CTX),
                holds("{'%%user.identities.0.providerType': 'local-userpass'}", CTX),
                holds("{'%%user.data.email': {'%exists': true}}", CTX),
                holds("{'%%user.data.phone': {'%exists': true}}", CTX)))
                .isEqualTo(List.of(true, true, true, true, true, true, true, false));
    }

    @Test
    void valuesEnvironmentRequestArgsAndPartitionExpansionsReadTheContext() {
        assertThat(List.of(
                holds("{'%%user.id': {'$in': '%%values.adminIds'}}", CTX),
                holds("{'%%values.limit': {'$gte': 10}}", CTX),
                holds("{'%%environment.tag': 'production'}", CTX),
                holds("{'%%environment.values.baseUrl': 'https://api.example.com'}", CTX),
                holds("{'%%request.httpMethod': 'POST'}", CTX),
                holds("{'%%request.requestHeaders.X-Key': 'k1'}", CTX),
                holds("{'%%args.url.host': 'api.example.com'}", CTX),
                holds("{'%%partition': 'team=red'}", CTX),
                holds("{'%%values.unknown': {'%exists': false}}", CTX)))
                .isEqualTo(List.of(true, true, true, true, true, true, true, true, true));
    }

    @Test
    void thisAndPrevReadTheFieldValues() {
        RuleContext field = CTX.withRoot(doc("{'n': 5}"), doc("{'n': 4}")).withField(5, 4);
        assertThat(List.of(holds("{'%%this': {'$gt': '%%prev'}}", field), holds("{'%%this': '%%root.n'}", field),
                holds("{'%%prev': '%%prevRoot.n'}", field)))
                .isEqualTo(List.of(true, true, true));
    }

    @Test
    void trueAndFalseExpansionsAreLiterals() {
        assertThat(List.of(holds("{'%%true': true}", CTX), holds("{'%%false': true}", CTX), holds("{'%%true': '%%false'}", CTX)))
                .isEqualTo(List.of(true, false, false));
    }

    @Test
    void prevRootIsMissingOnInsert() {
        // spec example 5
        String expression = "{'%or': [{'%%prevRoot': {'%exists': false}}, {'%%prevRoot.status': 'draft'}]}";
        assertThat(List.of(
                holds(expression, CTX.withRoot(doc("{'status': 'sent'}"), null)),
                holds(expression, CTX.withRoot(doc("{'status': 'sent'}"), doc("{'status': 'draft'}"))),
                holds(expression, CTX.withRoot(doc("{'status': 'sent'}"), doc("{'status': 'sent'}")))))
                .isEqualTo(List.of(true, true, false));
    }

    // ---- conversions -----------------------------------------------------------------------------

    @Test
    void stringToOidAndOidToStringConvert() {
        ObjectId id = new ObjectId("5a0000000000000000000001");
        RuleContext ctx = CTX.withRoot(new Document("_id", id).append("hex", id.toHexString()), null);
        assertThat(List.of(
                holds("{'_id': {'%stringToOid': '5a0000000000000000000001'}}", ctx),
                holds("{'_id': {'%stringToOid': '%%root.hex'}}", ctx),
                holds("{'hex': {'%oidToString': '%%root._id'}}", ctx)))
                .isEqualTo(List.of(true, true, true));
    }

    @Test
    void stringToUuidAndUuidToStringConvert() {
        UUID uuid = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        Binary binary = new Binary(BsonBinarySubType.UUID_STANDARD, new byte[] {15, -113, -83, 91, -39, -53, 70, -97, -95, 101, 112, -122, 119, 40, -107, 14});
        RuleContext ctx = CTX.withRoot(new Document("u", binary).append("j", uuid).append("s", uuid.toString()), null);
        assertThat(List.of(
                holds("{'u': {'%stringToUuid': '0f8fad5b-d9cb-469f-a165-70867728950e'}}", ctx),
                holds("{'j': {'%stringToUuid': '%%root.s'}}", ctx),
                holds("{'s': {'%uuidToString': '%%root.u'}}", ctx),
                holds("{'u': '%%root.j'}", ctx)))
                .isEqualTo(List.of(true, true, true, true));
    }

    @Test
    void aConversionTakesOnlyALiteralOrAnExpansion() {
        assertThat(compileError("{'_id': {'%stringToOid': {'%oidToString': '%%root.x'}}}").getMessage())
                .isEqualTo("roles[0].apply_when._id.%stringToOid: %stringToOid takes only a literal or an expansion, not object");
    }

    @Test
    void aConversionOfABadLiteralIsACompileError() {
        assertThat(compileError("{'_id': {'%stringToOid': 'nope'}}").getMessage())
                .isEqualTo("roles[0].apply_when._id.%stringToOid: %stringToOid expects a 24-digit hex string, got string \"nope\"");
    }

    @Test
    void aConversionOfABadValueAtRunTimeIsAnError() {
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(doc("{'_id': {'%stringToOid': '%%user.id'}}"), "roles[0].apply_when");
        assertThatThrownBy(() -> e.test(CTX.withRoot(new Document("_id", new ObjectId()), null)))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("roles[0].apply_when._id.%stringToOid: %stringToOid expects a 24-digit hex string, got string \"u1\"");
    }

    // ---- %function -------------------------------------------------------------------------------

    @Test
    void functionCallsTheInjectedCallerWithEvaluatedArguments() {
        // spec example 4
        List<Object> calls = new ArrayList<>();
        RuleContext ctx = RuleContext.forUser(USER).functions((name, args) -> {
            calls.add(List.of(name, args));
            return args.get(1).equals("u1");
        }).build().withRoot(doc("{'_id': 7}"), null);
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(
                doc("{'%%true': {'%function': {'name': 'canAccess', 'arguments': ['%%root._id', '%%user.id']}}}"), "apply_when");
        assertThat(e.test(ctx)).isTrue();
        assertThat(calls).isEqualTo(List.of(List.of("canAccess", List.of(7, "u1"))));
    }

    @Test
    void functionResultIsComparedLikeAnyValue() {
        RuleContext ctx = RuleContext.forUser(USER).functions((name, args) -> List.of("u1", "u2")).build();
        assertThat(holds("{'%%user.id': {'$in': {'%function': {'name': 'members'}}}}", ctx)).isTrue();
    }

    @Test
    void functionWithoutAFunctionRuntimeIsAnErrorNotFalse() {
        assertThatThrownBy(() -> holds("{'%%true': {'%function': {'name': 'isOwner', 'arguments': []}}}", CTX))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("e.%%true.%function: %function isOwner cannot run: functions are not available yet");
    }

    @Test
    void functionThatThrowsIsARuleError() {
        RuleContext ctx = RuleContext.forUser(USER).functions((name, args) -> {
            throw new IllegalArgumentException("boom");
        }).build();
        assertThatThrownBy(() -> holds("{'%%true': {'%function': {'name': 'f'}}}", ctx))
                .isInstanceOf(RuleEvaluationException.class).hasMessage("e.%%true.%function: boom");
    }

    // ---- compile errors --------------------------------------------------------------------------

    @Test
    void anUnknownOperatorIsACompileErrorNamingItsPlace() {
        assertThat(compileError("{'owner_id': {'$regexMatch': 'x'}}").getMessage())
                .isEqualTo("roles[0].apply_when.owner_id.$regexMatch: unknown operator $regexMatch");
    }

    @Test
    void anUnknownPercentOperatorIsACompileError() {
        assertThat(compileError("{'%or': [{'%xor': []}]}").getMessage())
                .isEqualTo("roles[0].apply_when.%or[0].%xor: unknown operator %xor");
    }

    @Test
    void dollarLogicalOperatorsMeanWhatTheirPercentSpellingMeans() {
        // the service accepted MongoDB's spelling in apply_when (its own docs use $or); same meaning as %or
        String[] roots = {"{'owner_id': 'u1', 'shared': false}", "{'owner_id': 'u2', 'shared': true}", "{'owner_id': 'u2', 'shared': false}"};
        for (String op : List.of("or", "and", "nor")) {
            for (String root : roots) {
                String dollar = "{'$" + op + "': [{'owner_id': '%%user.id'}, {'shared': true}]}";
                assertThat(holdsOn(dollar, root)).as(dollar + " on " + root).isEqualTo(holdsOn(dollar.replace('$', '%'), root));
            }
        }
        assertThat(List.of(holdsOn("{'$or': [{'owner_id': '%%user.id'}, {'shared': true}]}", roots[1]),
                holdsOn("{'$not': {'owner_id': '%%user.id'}}", roots[0])))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void aDollarLogicalOperatorTakesAnArrayLikeItsPercentSpelling() {
        assertThat(compileError("{'$or': {'owner_id': 1}}").getMessage())
                .isEqualTo("roles[0].apply_when.$or: %or takes an array of expressions, not object");
    }

    @Test
    void aComparisonWithoutALeftHandSideIsACompileError() {
        assertThat(compileError("{'%in': [1]}").detail())
                .isEqualTo("%in needs a left-hand side: {\"<field or %%expansion>\": {\"%in\": …}}");
    }

    @Test
    void anUnknownExpansionIsACompileError() {
        assertThat(compileError("{'%%ctx.user': 1}").rulePath()).isEqualTo("roles[0].apply_when.%%ctx.user");
    }

    @Test
    void inNeedsAnArray() {
        assertThat(compileError("{'a': {'$in': 3}}").detail()).isEqualTo("$in takes an array (or an expansion of one), not int 3");
    }

    @Test
    void anExpressionIsNotAString() {
        assertThat(compileError("'yes'").detail()).isEqualTo("an expression is true, false or an object, not string \"yes\"");
    }

    @Test
    void functionNeedsAName() {
        assertThat(compileError("{'%%true': {'%function': {'arguments': []}}}").detail())
                .isEqualTo("%function takes {\"name\": \"<function>\", \"arguments\": [...]}");
    }

    // ---- explanations ----------------------------------------------------------------------------

    @Test
    void aFalseEvaluationNamesTheClauseAndTheValuesCompared() {
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(doc("{'owner_id': '%%user.id'}"), "roles[0].apply_when");
        CompiledExpression.Result result = e.evaluate(CTX.withRoot(doc("{'owner_id': 'u2'}"), null));
        assertThat(result.value()).isFalse();
        assertThat(result.failure().describe())
                .isEqualTo("roles[0].apply_when: owner_id: \"%%user.id\" → root.owner_id=\"u2\" ≠ user.id=\"u1\"");
    }

    @Test
    void aFailedOrExplainsItsLastOperand() {
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(
                doc("{'%or': [{'owner_id': '%%user.id'}, {'shared_with': '%%user.id'}]}"), "roles[0].apply_when");
        assertThat(e.evaluate(CTX.withRoot(doc("{'owner_id': 'u2', 'shared_with': ['u3']}"), null)).failure().describe())
                .isEqualTo("roles[0].apply_when.%or[1]: shared_with: \"%%user.id\" → root.shared_with=[\"u3\"] ≠ user.id=\"u1\"");
    }

    @Test
    void aFailedExistsSaysWhatWasFound() {
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(doc("{'%%prevRoot': {'%exists': false}}"), "write");
        assertThat(e.evaluate(CTX.withRoot(doc("{}"), doc("{'a': 1}"))).failure().describe())
                .isEqualTo("write: %%prevRoot: {\"%exists\": false} → prevRoot={\"a\": 1} exists");
    }

    @Test
    void aTrueEvaluationHasNoFailure() {
        CompiledExpression e = ExpressionCompiler.forMongoRules().compile(doc("{'owner_id': '%%user.id'}"), "a");
        assertThat(e.evaluate(CTX.withRoot(doc("{'owner_id': 'u1'}"), null))).isEqualTo(new CompiledExpression.Result(true, null));
    }
}
