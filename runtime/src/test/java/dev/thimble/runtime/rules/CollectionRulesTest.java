package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.rules.Decision.Outcome;
import dev.thimble.runtime.rules.Decision.Reason;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.rules.Bson.doc;
import static dev.thimble.runtime.rules.Bson.json;
import static dev.thimble.runtime.rules.Bson.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectionRulesTest {
    private static final RuleContext ANN = RuleContext.forUser(Principal.normal("u1")).build();
    private static final RuleContext BOB = RuleContext.forUser(Principal.normal("u2")).build();

    private static final CollectionRules NOTES = CollectionRules.compile(rule("""
            {'database': 'app', 'collection': 'notes',
             'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'},
                        'read': true, 'write': {'owner_id': '%%user.id'}, 'insert': true, 'delete': true}],
             'filters': [{'name': 'mine', 'apply_when': {}, 'query': {'owner_id': '%%user.id'}}]}"""));

    private static final CollectionRules STAFF = CollectionRules.compile(rule("""
            {'database': 'hr', 'collection': 'staff',
             'roles': [{'name': 'self', 'apply_when': {'user_id': '%%user.id'}, 'read': true,
                        'fields': {'display_name': {'write': true}}, 'additional_fields': {'write': false}},
                       {'name': 'member', 'apply_when': {},
                        'fields': {'salary': {'read': false, 'write': false},
                                   'address': {'fields': {'city': {'read': true}}}},
                        'additional_fields': {'read': true, 'write': false}}]}"""));

    private static final Document STAFF_DOC = doc("""
            {'_id': 1, 'user_id': 'u1', 'display_name': 'Ann', 'email': 'ann@example.com', 'salary': 100,
             'address': {'city': 'Oslo', 'street': 'Main 1'}}""");

    // ---- which rules apply ---------------------------------------------------------------------

    @Test
    void aNamespaceWithNoRuleAndNoDefaultRuleDeniesEveryRequest() {
        CollectionRules none = DataSourceRules.compile(List.of(), null).forNamespace("app", "secrets");
        Document d = doc("{'_id': 1}");
        assertThat(List.of(
                none.planQuery(ANN, new Document(), null).allowed(),
                none.applyRead(ANN, d).visible(),
                none.checkInsert(ANN, d).allowed(),
                none.checkUpdate(ANN, d, d).allowed(),
                none.checkDelete(ANN, d).allowed()))
                .isEqualTo(List.of(false, false, false, false, false));
        assertThat(none.applyRead(ANN, d).decision().reason()).isEqualTo(Reason.NO_RULES);
    }

    @Test
    void theDefaultRuleServesOnlyCollectionsWithoutARuleOfTheirOwn() {
        DataSourceRules source = DataSourceRules.compile(List.of(rule("""
                {'database': 'app', 'collection': 'notes', 'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'}, 'read': true}]}""")),
                json("{'roles': [{'name': 'anyone', 'apply_when': {}, 'read': true}]}"));
        Document annsNote = doc("{'_id': 1, 'owner_id': 'u1'}");
        assertThat(List.of(
                source.forNamespace("app", "notes").applyRead(BOB, annsNote).visible(),
                source.forNamespace("app", "other").applyRead(BOB, annsNote).visible()))
                .isEqualTo(List.of(false, true));
        assertThat(List.of(source.forNamespace("app.notes").source(), source.forNamespace("app.other").source()))
                .isEqualTo(List.of(CollectionRules.Source.COLLECTION, CollectionRules.Source.DEFAULT));
        assertThat(source.forNamespace("app.other").namespace()).isEqualTo("app.other");
    }

    @Test
    void aCollectionWhoseRolesAllFailDoesNotFallThroughToTheDefaultRoles() {
        DataSourceRules source = DataSourceRules.compile(List.of(rule("""
                {'database': 'app', 'collection': 'locked', 'roles': [{'name': 'admins', 'apply_when': {'%%user.data.admin': true}, 'read': true}]}""")),
                json("{'roles': [{'name': 'anyone', 'apply_when': {}, 'read': true}]}"));
        assertThat(source.forNamespace("app.locked").applyRead(ANN, doc("{'_id': 1}")).decision().reason()).isEqualTo(Reason.NO_ROLE);
    }

    @Test
    void aCollectionWithASchemaButNoRolesTakesTheDefaultRolesAndKeepsItsSchema() {
        // the flexible-sync templates: every permission in default_rule.json, the collection has only schema.json
        DataSourceRules source = DataSourceRules.compile(List.of(rule("""
                {'database': 'app', 'collection': 'items', 'schema': {'bsonType': 'object', 'required': ['owner_id'],
                 'properties': {'owner_id': {'bsonType': 'string'}}}}""")),
                json("{'roles': [{'name': 'owner', 'apply_when': {}, 'read': true, 'write': true}]}"));
        CollectionRules items = source.forNamespace("app.items");
        Decision read = items.applyRead(ANN, doc("{'_id': 1, 'owner_id': 'someone'}")).decision();
        assertThat(List.of(read.outcome(), read.role(), items.source()))
                .isEqualTo(List.of(Outcome.ALLOWED, "owner", CollectionRules.Source.DEFAULT));
        assertThat(items.checkInsert(ANN, doc("{'_id': 2, 'owner_id': 'u1'}")).allowed()).isTrue();
        assertThat(items.checkInsert(ANN, doc("{'_id': 3}")).allowed()).as("the collection's own schema still applies").isFalse();
    }

    @Test
    void aCollectionRuleWithAnEmptyRoleListTakesTheDefaultRoles() {
        DataSourceRules source = DataSourceRules.compile(List.of(rule("{'database': 'app', 'collection': 'open', 'roles': []}")),
                json("{'roles': [{'name': 'anyone', 'apply_when': {}, 'read': true}]}"));
        assertThat(source.forNamespace("app.open").applyRead(ANN, doc("{'_id': 1}")).visible()).isTrue();
    }

    // ---- queries -------------------------------------------------------------------------------

    @Test
    void filtersThatApplyAreAndedIntoTheQuery() {
        QueryPlan plan = NOTES.planQuery(ANN, doc("{'done': false}"), null);
        assertThat(plan.query()).isEqualTo(doc("{'$and': [{'done': false}, {'owner_id': 'u1'}]}"));
        assertThat(plan.decision().filters()).isEqualTo(List.of(new Decision.FilterDecision("mine", true, null, false)));
    }

    @Test
    void aReadThroughAPlanRecordsTheFiltersOfItsQuery() {
        QueryPlan plan = NOTES.planQuery(ANN, new Document(), null);
        assertThat(NOTES.applyRead(ANN, doc("{'owner_id': 'u1'}"), plan).decision().filters())
                .isEqualTo(List.of(new Decision.FilterDecision("mine", true, null, false)));
    }

    @Test
    void changingAPlannedQueryLeavesTheCompiledFilterAlone() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'open', 'apply_when': {}, 'query': {'status': {'$in': ['open']}}}]}"""));
        rules.planQuery(ANN, new Document(), null).query().get("status", Document.class).put("$in", List.of("closed"));
        assertThat(rules.planQuery(ANN, new Document(), null).query()).isEqualTo(doc("{'status': {'$in': ['open']}}"));
    }

    @Test
    void aFilterAloneBecomesTheQuery() {
        assertThat(NOTES.planQuery(ANN, new Document(), null).query()).isEqualTo(doc("{'owner_id': 'u1'}"));
    }

    @Test
    void aFilterApplyWhenSeesNoDocument() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'needsRoot', 'apply_when': {'owner_id': '%%user.id'}, 'query': {'x': 1}},
                             {'name': 'anon', 'apply_when': {'%%user.identities.providerType': 'anon-user'}, 'query': {'public': true}}]}"""));
        QueryPlan plan = rules.planQuery(ANN, new Document(), null);
        assertThat(plan.query()).isEqualTo(new Document());
        assertThat(plan.decision().filters().stream().map(f -> f.filter() + ":" + f.applied() + ":" + f.failure().describe()).toList())
                .isEqualTo(List.of(
                        "needsRoot:false:filters[0].apply_when: owner_id: \"%%user.id\" → root.owner_id=(missing) ≠ user.id=\"u1\"",
                        "anon:false:filters[1].apply_when: %%user.identities.providerType: \"anon-user\" → user.identities.providerType=(missing) ≠ \"anon-user\""));
    }

    @Test
    void aFilterWhoseQueryUsesAMissingExpansionMatchesNothing() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'team', 'apply_when': {}, 'query': {'team': '%%user.custom_data.team'}}]}"""));
        QueryPlan plan = rules.planQuery(ANN, new Document(), null);
        assertThat(plan.query()).isEqualTo(doc("{'_id': {'$in': []}}"));
        assertThat(plan.decision().filters().getFirst().matchesNothing()).isTrue();
    }

    @Test
    void exclusiveFilterProjectionsMergeWithEachOtherAndTheCallers() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'noSalary', 'apply_when': {}, 'query': {}, 'projection': {'salary': 0}},
                             {'name': 'noSsn', 'apply_when': {}, 'query': {}, 'projection': {'ssn': 0}}]}"""));
        assertThat(List.of(
                rules.planQuery(ANN, new Document(), null).projection(),
                rules.planQuery(ANN, new Document(), doc("{'notes': 0}")).projection(),
                rules.planQuery(ANN, new Document(), doc("{'name': 1, 'salary': 1}")).projection()))
                .isEqualTo(List.of(
                        doc("{'salary': 0, 'ssn': 0}"),
                        doc("{'salary': 0, 'ssn': 0, 'notes': 0}"),
                        doc("{'name': 1}")));
    }

    @Test
    void anInclusiveFilterProjectionOnlyNarrowsTheCallersProjection() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'public', 'apply_when': {}, 'query': {}, 'projection': {'name': 1, 'city': 1}}]}"""));
        assertThat(List.of(
                rules.planQuery(ANN, new Document(), doc("{'name': 1, 'salary': 1}")).projection(),
                rules.planQuery(ANN, new Document(), doc("{'city': 0}")).projection(),
                rules.planQuery(ANN, new Document(), doc("{'salary': 1}")).projection()))
                .isEqualTo(List.of(
                        doc("{'name': 1}"),
                        doc("{'name': 1}"),
                        doc("{'" + Projections.NO_FIELD + "': 1}")));
    }

    @Test
    void inclusiveAndExclusiveFilterProjectionsTogetherAreAnError() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [],
                 'filters': [{'name': 'only', 'apply_when': {}, 'query': {}, 'projection': {'name': 1}},
                             {'name': 'hide', 'apply_when': {}, 'query': {}, 'projection': {'salary': 0}}]}"""));
        assertThatThrownBy(() -> rules.planQuery(ANN, new Document(), null))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("a.b filters: filters \"only\" (inclusive) and \"hide\" (exclusive) both apply, and their projections cannot be mixed; make them the same kind");
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Test
    void theFirstRoleWhoseApplyWhenHoldsApplies() {
        ReadResult read = STAFF.applyRead(BOB, STAFF_DOC);
        assertThat(read.decision().role()).isEqualTo("member");
        assertThat(read.decision().rolesTried().stream().map(t -> t.role() + "=" + t.matched()).toList())
                .isEqualTo(List.of("self=false", "member=true"));
        assertThat(read.decision().rolesTried().getFirst().failure().describe())
                .isEqualTo("roles[0].apply_when: user_id: \"%%user.id\" → root.user_id=\"u1\" ≠ user.id=\"u2\"");
    }

    @Test
    void aDocumentNoRoleAppliesToIsInvisible() {
        ReadResult read = NOTES.applyRead(BOB, doc("{'_id': 1, 'owner_id': 'u1', 'text': 'hi'}"));
        assertThat(read.visible()).isFalse();
        assertThat(read.decision().describe()).isEqualTo("""
                READ app.notes: DENIED (NO_ROLE)
                  role "owner" [0]: apply_when false — roles[0].apply_when: owner_id: "%%user.id" → root.owner_id="u1" ≠ user.id="u2\"""");
    }

    @Test
    void fieldsTheRoleCannotReadAreRemovedNestedOnesToo() {
        ReadResult read = STAFF.applyRead(BOB, STAFF_DOC);
        assertThat(read.document()).isEqualTo(doc("""
                {'_id': 1, 'user_id': 'u1', 'display_name': 'Ann', 'email': 'ann@example.com', 'address': {'city': 'Oslo'}}"""));
        assertThat(List.of(read.decision().outcome(), read.decision().fieldsRemoved()))
                .isEqualTo(List.of(Outcome.PARTIAL, List.of("salary", "address.street")));
    }

    @Test
    void aTopLevelReadCoversEveryFieldAndFieldEntriesCannotNarrowIt() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'read': true, 'fields': {'salary': {'read': false}}}]}"""));
        assertThat(rules.applyRead(ANN, STAFF_DOC).document()).isEqualTo(STAFF_DOC);
    }

    @Test
    void writeImpliesRead() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'fields': {'a': {'write': true}, 'b': {'read': false}}}]}"""));
        assertThat(rules.applyRead(ANN, doc("{'a': 1, 'b': 2}")).document()).isEqualTo(doc("{'a': 1}"));
    }

    @Test
    void aRoleThatCanReadNoFieldHidesTheDocument() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [{'name': 'blind', 'apply_when': {}, 'read': false}]}"""));
        ReadResult read = rules.applyRead(ANN, doc("{'a': 1}"));
        assertThat(List.of(read.visible(), read.decision().reason())).isEqualTo(List.of(false, Reason.NO_READABLE_FIELDS));
    }

    @Test
    void aQueryPredicateOnAnUnreadableFieldMatchesNothing() {
        QueryPlan bySalary = STAFF.planQuery(BOB, doc("{'salary': {'$gt': 50}}"), null);
        QueryPlan byStreet = STAFF.planQuery(BOB, doc("{'$or': [{'address.street': 'Main 1'}]}"), null);
        QueryPlan byCity = STAFF.planQuery(BOB, doc("{'address.city': 'Oslo'}"), null);
        assertThat(List.of(
                STAFF.applyRead(BOB, STAFF_DOC, bySalary).visible(),
                STAFF.applyRead(BOB, STAFF_DOC, byStreet).visible(),
                STAFF.applyRead(BOB, STAFF_DOC, byCity).visible(),
                STAFF.applyRead(ANN, STAFF_DOC, bySalary).visible()))
                .isEqualTo(List.of(false, false, true, true));
        assertThat(STAFF.applyRead(BOB, STAFF_DOC, bySalary).decision().unreadableQueryFields()).isEqualTo(List.of("salary"));
        assertThat(STAFF.queryTouchesUnreadableFields(BOB, STAFF_DOC, bySalary)).isTrue();
    }

    @Test
    void aFalseDocumentReadFilterHidesTheDocumentUnlessTheWriteFilterHolds() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'team', 'apply_when': {},
                            'document_filters': {'read': {'team': 'red'}, 'write': {'owner_id': '%%user.id'}},
                            'read': true, 'write': true}]}"""));
        assertThat(List.of(
                rules.applyRead(ANN, doc("{'team': 'red', 'owner_id': 'u9'}")).visible(),
                rules.applyRead(ANN, doc("{'team': 'blue', 'owner_id': 'u9'}")).visible(),
                rules.applyRead(ANN, doc("{'team': 'blue', 'owner_id': 'u1'}")).visible()))
                .isEqualTo(List.of(true, false, true));
        assertThat(rules.applyRead(ANN, doc("{'team': 'blue', 'owner_id': 'u9'}")).decision().failure().describe())
                .isEqualTo("roles[0].document_filters.read: team: \"red\" → root.team=\"blue\" ≠ \"red\"");
    }

    // ---- writes --------------------------------------------------------------------------------

    @Test
    void anInsertIsJudgedOnTheNewDocument() {
        assertThat(List.of(
                NOTES.checkInsert(ANN, doc("{'owner_id': 'u1', 'text': 'hi'}")).decision().reason(),
                NOTES.checkInsert(ANN, doc("{'owner_id': 'u2', 'text': 'hi'}")).decision().reason()))
                .isEqualTo(List.of(Reason.RULES, Reason.NO_ROLE));
    }

    @Test
    void aWriteToAReadOnlyFieldIsRejectedNamingIt() {
        Document after = new Document(STAFF_DOC).append("email", "new@example.com").append("display_name", "Annie");
        WriteCheck check = STAFF.checkUpdate(ANN, STAFF_DOC, after);
        assertThat(check.decision().describe()).isEqualTo("""
                UPDATE hr.staff: DENIED by role "self" (FIELDS_NOT_WRITABLE)
                  role "self" [0]: apply_when true
                  not writable: email: roles[0].additional_fields.write: false → is false""");
    }

    @Test
    void aWriteToAWritableFieldIsAllowed() {
        Document after = new Document(STAFF_DOC).append("display_name", "Annie");
        assertThat(STAFF.checkUpdate(ANN, STAFF_DOC, after).decision().outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void addingOrRemovingAFieldTouchesIt() {
        Document added = new Document(STAFF_DOC).append("nickname", "A");
        Document removed = new Document(STAFF_DOC);
        removed.remove("email");
        assertThat(List.of(
                STAFF.checkUpdate(ANN, STAFF_DOC, added).rejectedFields().stream().map(Decision.FieldRejection::field).toList(),
                STAFF.checkUpdate(ANN, STAFF_DOC, removed).rejectedFields().stream().map(Decision.FieldRejection::field).toList()))
                .isEqualTo(List.of(List.of("nickname"), List.of("email")));
    }

    @Test
    void aNestedFieldWithoutWritePermissionIsRejectedByItsPath() {
        Document after = Document.parse(STAFF_DOC.toJson());
        after.get("address", Document.class).put("street", "Side 2");
        assertThat(STAFF.checkUpdate(BOB, STAFF_DOC, after).rejectedFields().stream().map(Decision.FieldRejection::field).toList())
                .isEqualTo(List.of("address.street"));
    }

    @Test
    void aFalseDocumentLevelWriteNamesItsClauseForEachChangedField() {
        Document before = doc("{'_id': 1, 'owner_id': 'u1', 'text': 'a'}");
        WriteCheck check = NOTES.checkUpdate(ANN, before, doc("{'_id': 1, 'owner_id': 'u2', 'text': 'a'}"));
        assertThat(check.rejectedFields().stream().map(Decision.FieldRejection::describe).toList())
                .isEqualTo(List.of("owner_id: roles[0].write: owner_id: \"%%user.id\" → root.owner_id=\"u2\" ≠ user.id=\"u1\""));
    }

    @Test
    void anUpdateCannotTakeOverADocumentTheRoleDoesNotApplyTo() {
        Document bobs = doc("{'_id': 1, 'owner_id': 'u2', 'text': 'a'}");
        Document takenOver = doc("{'_id': 1, 'owner_id': 'u1', 'text': 'a'}");
        assertThat(NOTES.checkUpdate(ANN, bobs, takenOver).decision().reason()).isEqualTo(Reason.NO_ROLE);
    }

    @Test
    void insertIsCheckedOnlyAfterEveryFieldIsWritable() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'insert': false, 'fields': {'a': {'write': true}}}]}"""));
        assertThat(List.of(
                rules.checkInsert(ANN, doc("{'a': 1, 'b': 2}")).decision().reason(),
                rules.checkInsert(ANN, doc("{'a': 1}")).decision().reason()))
                .isEqualTo(List.of(Reason.FIELDS_NOT_WRITABLE, Reason.INSERT_NOT_ALLOWED));
    }

    @Test
    void aDeleteNeedsWriteOnEveryFieldAndThenTheDeleteExpression() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'delete': {'status': 'draft'}, 'fields': {'status': {'write': true}, 'text': {'write': true}}}]}"""));
        assertThat(List.of(
                rules.checkDelete(ANN, doc("{'status': 'draft', 'text': 'x', 'locked': true}")).decision().reason(),
                rules.checkDelete(ANN, doc("{'status': 'sent', 'text': 'x'}")).decision().reason(),
                rules.checkDelete(ANN, doc("{'status': 'draft', 'text': 'x'}")).decision().reason()))
                .isEqualTo(List.of(Reason.FIELDS_NOT_WRITABLE, Reason.DELETE_NOT_ALLOWED, Reason.RULES));
    }

    @Test
    void aFalseDocumentWriteFilterForbidsWritesOnTheStoredAndTheNewDocument() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'document_filters': {'write': {'owner_id': '%%user.id'}}, 'read': true, 'write': true}]}"""));
        Document mine = doc("{'owner_id': 'u1', 'x': 1}");
        Document theirs = doc("{'owner_id': 'u2', 'x': 1}");
        assertThat(List.of(
                rules.checkUpdate(ANN, mine, doc("{'owner_id': 'u1', 'x': 2}")).allowed(),
                rules.checkUpdate(ANN, theirs, doc("{'owner_id': 'u1', 'x': 2}")).allowed(),
                rules.checkUpdate(ANN, mine, theirs).allowed(),
                rules.checkInsert(ANN, theirs).allowed(),
                rules.applyRead(ANN, theirs).visible()))
                .isEqualTo(List.of(true, false, false, false, true));
    }

    @Test
    void theSchemaRejectsABadWriteNamingTheFieldAndTheExpectation() {
        CollectionRules items = CollectionRules.compile(rule("""
                {'database': 'todo', 'collection': 'items',
                 'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'}, 'read': true, 'write': true}],
                 'schema': {'properties': {'owner_id': {'bsonType': 'string'}, 'text': {'bsonType': 'string', 'maxLength': 5}},
                            'required': ['owner_id', 'text']}}"""));
        WriteCheck check = items.checkInsert(ANN, doc("{'owner_id': 'u1', 'text': 5}"));
        assertThat(check.schemaViolations()).isEqualTo(List.of(new Decision.SchemaViolation("text", "bsonType", "\"string\"", "int 5")));
        assertThat(check.decision().describe()).isEqualTo("""
                INSERT todo.items: DENIED by role "owner" (SCHEMA_INVALID)
                  role "owner" [0]: apply_when true
                  schema: text: bsonType expects "string", got int 5""");
        assertThat(items.checkUpdate(ANN, doc("{'owner_id': 'u1', 'text': 'a'}"), doc("{'owner_id': 'u1'}")).schemaViolations())
                .isEqualTo(List.of(new Decision.SchemaViolation("text", "required", "the field to be present", "missing")));
    }

    // ---- system, errors, decisions -------------------------------------------------------------

    @Test
    void theSystemCallerBypassesRolesFiltersAndSchema() {
        CollectionRules none = CollectionRules.none("a.b");
        Document d = doc("{'x': 1}");
        assertThat(List.of(
                none.applyRead(RuleContext.system(), d).document(),
                none.checkInsert(RuleContext.system(), d).decision().reason(),
                NOTES.planQuery(RuleContext.system(), d, null).query(),
                NOTES.checkDelete(RuleContext.system(), d).decision().reason()))
                .isEqualTo(List.of(d, Reason.SYSTEM, d, Reason.SYSTEM));
    }

    @Test
    void aRoleCallingAFunctionWhileFunctionsAreUnavailableFailsTheRequest() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'viaFn', 'apply_when': {'%%true': {'%function': {'name': 'canAccess', 'arguments': ['%%root._id']}}}, 'read': true}]}"""));
        assertThatThrownBy(() -> rules.applyRead(ANN, doc("{'_id': 1}")))
                .isInstanceOf(RuleEvaluationException.class)
                .hasMessage("a.b roles[0].apply_when.%%true.%function: %function canAccess cannot run: functions are not available yet");
    }

    @Test
    void aRuleThatDoesNotCompileNamesTheNamespaceAndThePlace() {
        assertThatThrownBy(() -> CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b', 'roles': [{'name': 'r', 'apply_when': {'x': {'$near': 1}}}]}""")))
                .isInstanceOf(RuleCompileException.class)
                .hasMessage("a.b roles[0].apply_when.x.$near: unknown operator $near");
    }

    @Test
    void aDecisionBecomesABsonDocumentForTheLog() {
        Document logged = NOTES.applyRead(BOB, doc("{'owner_id': 'u1'}")).decision().toDocument();
        assertThat(logged).isEqualTo(doc("""
                {'namespace': 'app.notes', 'action': 'READ', 'outcome': 'DENIED', 'reason': 'NO_ROLE', 'role': null,
                 'rolesTried': [{'role': 'owner', 'index': 0, 'matched': false,
                                 'failure': {'rulePath': 'roles[0].apply_when', 'source': 'owner_id: "%%user.id"',
                                             'lhs': 'root.owner_id', 'lhsValue': '"u1"', 'op': '≠', 'rhs': 'user.id', 'rhsValue': '"u2"',
                                             'text': 'roles[0].apply_when: owner_id: "%%user.id" → root.owner_id="u1" ≠ user.id="u2"'}}],
                 'filters': [], 'fieldsRemoved': [], 'unreadableQueryFields': [], 'fieldsRejected': [], 'schemaViolations': [],
                 'failure': null}"""));
    }

    @Test
    void fieldRulesCanReadTheFieldValue() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'r', 'apply_when': {}, 'read': true,
                            'fields': {'count': {'write': {'%%this': {'$gt': '%%prev'}}}}}]}"""));
        Document before = doc("{'count': 1}");
        assertThat(List.of(
                rules.checkUpdate(ANN, before, doc("{'count': 2}")).allowed(),
                rules.checkUpdate(ANN, before, doc("{'count': 0}")).allowed()))
                .isEqualTo(List.of(true, false));
    }

    @Test
    void valuesReachRoleExpressions() {
        CollectionRules rules = CollectionRules.compile(rule("""
                {'database': 'a', 'collection': 'b',
                 'roles': [{'name': 'admin', 'apply_when': {'%%user.id': {'$in': '%%values.adminIds'}}, 'read': true}]}"""));
        RuleContext admin = RuleContext.forUser(Principal.normal("u7")).values(Map.of("adminIds", List.of("u7"))).build();
        assertThat(List.of(rules.applyRead(admin, doc("{'a': 1}")).visible(), rules.applyRead(ANN, doc("{'a': 1}")).visible()))
                .isEqualTo(List.of(true, false));
    }
}
