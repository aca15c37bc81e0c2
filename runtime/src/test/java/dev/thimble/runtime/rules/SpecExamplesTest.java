package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.rules.Decision.Reason;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.rules.Bson.doc;
import static dev.thimble.runtime.rules.Bson.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The worked examples of STITCH-SPEC §2C and the docs' Manager/Employee example, end to end. */
class SpecExamplesTest {
    private static final RuleContext ANN = RuleContext.forUser(Principal.normal("u1")).build();
    private static final RuleContext BOB = RuleContext.forUser(Principal.normal("u2")).build();

    @Test
    void example1OwnerOnlyReadWriteWithInsertsForcedToOwnDocuments() {
        CollectionRules notes = CollectionRules.compile(rule("""
                { "database":"app","collection":"notes",
                  "roles":[{"name":"owner","apply_when":{"owner_id":"%%user.id"},
                    "read":true,"write":{"owner_id":"%%user.id"},"insert":true,"delete":true}],
                  "filters":[{"name":"mine","apply_when":{},"query":{"owner_id":"%%user.id"}}] }"""));
        Document annsNote = doc("{'_id': 1, 'owner_id': 'u1', 'text': 'hi'}");
        assertThat(List.of(
                notes.planQuery(ANN, new Document(), null).query(),
                notes.applyRead(ANN, annsNote).document(),
                notes.applyRead(BOB, annsNote).visible(),
                notes.checkInsert(ANN, doc("{'owner_id': 'u1'}")).allowed(),
                notes.checkInsert(ANN, doc("{'owner_id': 'u2'}")).allowed(),
                notes.checkUpdate(ANN, annsNote, doc("{'_id': 1, 'owner_id': 'u1', 'text': 'bye'}")).allowed(),
                notes.checkUpdate(ANN, annsNote, doc("{'_id': 1, 'owner_id': 'u2', 'text': 'hi'}")).allowed(),
                notes.checkDelete(ANN, annsNote).allowed(),
                notes.checkDelete(BOB, annsNote).allowed()))
                .isEqualTo(List.of(doc("{'owner_id': 'u1'}"), annsNote, false, true, false, true, false, true, false));
    }

    @Test
    void example2SharedWithListMeansMembership() {
        CollectionRules lists = CollectionRules.compile(rule("""
                {"database":"app","collection":"lists","roles":[
                 {"name":"sharedReader","apply_when":{"%or":[{"owner_id":"%%user.id"},{"shared_with":"%%user.id"}]},
                  "read":true,"write":{"owner_id":"%%user.id"},"insert":false,"delete":false}]}"""));
        CollectionRules equivalent = CollectionRules.compile(rule("""
                {"database":"app","collection":"lists","roles":[
                 {"name":"sharedReader","apply_when":{"%or":[{"owner_id":"%%user.id"},{"%%user.id":{"$in":"%%root.shared_with"}}]},
                  "read":true,"write":{"owner_id":"%%user.id"},"insert":false,"delete":false}]}"""));
        Document list = doc("{'_id': 1, 'owner_id': 'u1', 'shared_with': ['u2'], 'title': 'groceries'}");
        RuleContext cy = RuleContext.forUser(Principal.normal("u3")).build();
        for (CollectionRules rules : List.of(lists, equivalent)) {
            assertThat(List.of(
                    rules.applyRead(BOB, list).visible(),
                    rules.applyRead(cy, list).visible(),
                    rules.checkUpdate(BOB, list, new Document(list).append("title", "mine now")).allowed(),
                    rules.checkUpdate(ANN, list, new Document(list).append("title", "food")).allowed(),
                    rules.checkDelete(ANN, list).decision().reason()))
                    .isEqualTo(List.of(true, false, false, true, Reason.DELETE_NOT_ALLOWED));
        }
    }

    @Test
    void example3FieldHiddenFromOneRole() {
        CollectionRules staff = CollectionRules.compile(rule("""
                {"database":"hr","collection":"staff","roles":[
                 {"name":"admin","apply_when":{"%%user.id":{"$in":"%%values.adminIds"}},"read":true,"write":true},
                 {"name":"member","apply_when":{},"fields":{"salary":{"read":false,"write":false}},
                  "additional_fields":{"read":true,"write":false}}]}"""));
        RuleContext admin = RuleContext.forUser(Principal.normal("boss")).values(Map.of("adminIds", List.of("boss"))).build();
        RuleContext member = RuleContext.forUser(Principal.normal("u1")).values(Map.of("adminIds", List.of("boss"))).build();
        Document row = doc("{'_id': 1, 'name': 'Ann', 'salary': 100}");
        assertThat(List.of(
                staff.applyRead(admin, row).document(),
                staff.applyRead(member, row).document(),
                staff.checkUpdate(admin, row, new Document(row).append("salary", 200)).allowed(),
                staff.checkUpdate(member, row, new Document(row).append("name", "Anne")).allowed()))
                .isEqualTo(List.of(row, doc("{'_id': 1, 'name': 'Ann'}"), true, false));
    }

    @Test
    void example4FunctionBasedRuleCallsTheFunction() {
        CollectionRules docs = CollectionRules.compile(rule("""
                {"database":"app","collection":"docs","roles":[
                 {"name":"viaFn","apply_when":{"%%true":{"%function":{"name":"canAccess","arguments":["%%root._id","%%user.id"]}}},
                  "read":true,"write":false}]}"""));
        RuleContext withFunctions = RuleContext.forUser(Principal.normal("u1"))
                .functions((name, args) -> name.equals("canAccess") && args.equals(List.of(1, "u1")))
                .build();
        Document one = doc("{'_id': 1, 't': 'x'}");
        assertThat(List.of(
                docs.applyRead(withFunctions, one).visible(),
                docs.applyRead(withFunctions, doc("{'_id': 2}")).visible(),
                docs.checkUpdate(withFunctions, one, doc("{'_id': 1, 't': 'y'}")).allowed()))
                .isEqualTo(List.of(true, false, false));
    }

    @Test
    void example5WriteOnlyIfPreviouslyNewOrDraft() {
        CollectionRules posts = CollectionRules.compile(rule("""
                {"database":"app","collection":"posts","roles":[
                 {"name":"author","apply_when":{},"read":true,
                  "write":{"%or":[{"%%prevRoot":{"%exists":false}},{"%%prevRoot.status":"draft"}]}}]}"""));
        Document draft = doc("{'_id': 1, 'status': 'draft'}");
        Document sent = doc("{'_id': 1, 'status': 'sent'}");
        assertThat(List.of(
                posts.checkInsert(ANN, sent).allowed(),
                posts.checkUpdate(ANN, draft, sent).allowed(),
                posts.checkUpdate(ANN, sent, doc("{'_id': 1, 'status': 'draft'}")).allowed()))
                .isEqualTo(List.of(true, true, false));
    }

    @Test
    void example6ServiceRuleAllowingOnlyOneHostOverHttps() {
        CompiledExpression when = ExpressionCompiler.forServiceRules().compile(
                doc("{\"%%args.url.host\":\"api.example.com\",\"%%args.url.scheme\":\"https\"}"), "api.when");
        RuleContext good = RuleContext.forUser(Principal.normal("u1")).args(doc("{'url': {'host': 'api.example.com', 'scheme': 'https'}}")).build();
        RuleContext http = RuleContext.forUser(Principal.normal("u1")).args(doc("{'url': {'host': 'api.example.com', 'scheme': 'http'}}")).build();
        RuleContext other = RuleContext.forUser(Principal.normal("u1")).args(doc("{'url': {'host': 'evil.example', 'scheme': 'https'}}")).build();
        assertThat(List.of(when.test(good), when.test(http), when.test(other))).isEqualTo(List.of(true, false, false));
    }

    @Test
    void managerExampleComparesAFieldWithAnArrayOfCustomData() {
        CollectionRules employees = CollectionRules.compile(rule("""
                {"database":"hr","collection":"employees","roles":[
                 {"name":"Manager","apply_when":{"email":"%%user.custom_data.manages"},"insert":true,"delete":true,
                  "read":true,"write":true,"search":true,"fields":{},"additional_fields":{"read":true,"write":true}},
                 {"name":"Employee","apply_when":{"email":"%%user.data.email"},"insert":false,"delete":false,
                  "read":true,"write":true,"search":true,"fields":{},"additional_fields":{"read":true,"write":true}}]}"""));
        RuleContext andy = RuleContext.forUser(Principal.normal("andy").withData(doc("{'email': 'andy.bernard@dundermifflin.com'}"))
                .withCustomData(doc("{'manages': ['phylis.lapin@dundermifflin.com', 'stanley.hudson@dundermifflin.com']}"))).build();
        Document phylis = doc("{'employeeId': '0528', 'name': 'Phylis Lapin', 'email': 'phylis.lapin@dundermifflin.com', 'manages': []}");
        Document andysOwn = doc("{'employeeId': '0865', 'name': 'Andy Bernard', 'email': 'andy.bernard@dundermifflin.com'}");
        Document other = doc("{'employeeId': '0001', 'name': 'Michael Scott', 'email': 'michael.scott@dundermifflin.com'}");
        assertThat(List.of(
                employees.applyRead(andy, phylis).decision().role(),
                employees.applyRead(andy, andysOwn).decision().role(),
                employees.applyRead(andy, other).visible(),
                employees.checkDelete(andy, phylis).allowed(),
                employees.checkDelete(andy, andysOwn).allowed()))
                .isEqualTo(List.of("Manager", "Employee", false, true, false));
    }
}
