package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.rules.Decision.FieldRejection;
import dev.thimble.runtime.rules.RuleSpace.Caller;
import dev.thimble.runtime.rules.RuleSpace.Operation;
import dev.thimble.runtime.rules.RuleSpace.Shape;
import dev.thimble.runtime.rules.RuleSpace.Verdict;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.thimble.runtime.rules.Bson.doc;
import static dev.thimble.runtime.rules.Bson.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of {@link RuleSpace} (role shape × operation × caller) run through the engine and
 * through {@link RulesOracle}; they must agree on outcome, reason and the fields visible or rejected.
 */
class GeneratedRulesTest {
    /** 5 apply_when × 4 read × 4 write × 6 secret entries × 5 additional × 4 document filters × 3 insert/delete × 6 operations × 5 callers. */
    static final int CASES = 5 * 4 * 4 * 6 * 5 * 4 * 3 * 6 * 5;

    private static final Map<Caller, RuleContext> CONTEXTS = new EnumMap<>(Caller.class);
    private static final Map<Operation, Document[]> DOCUMENTS = new EnumMap<>(Operation.class);

    static {
        for (Operation op : Operation.values()) {
            DOCUMENTS.put(op, new Document[] {document(RulesOracle.before(op)), document(RulesOracle.after(op))});
        }
        for (Caller caller : Caller.values()) {
            Document customData = caller.team == null ? new Document() : new Document("team", caller.team);
            Principal user = new Principal(caller.id, caller.type, null,
                    List.of(new Principal.Identity(caller.id + "-identity", caller.providerType)), customData.toBsonDocument());
            CONTEXTS.put(caller, RuleContext.forUser(user).build());
        }
    }

    @Test
    void everyCaseOfTheDescribedSpaceAgreesWithTheReferenceReading() {
        List<String> mismatches = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        int cases = 0;
        for (Shape shape : RuleSpace.shapes()) {
            CollectionRules rules = CollectionRules.compile("app.docs", CollectionRules.Source.COLLECTION, doc(shape.ruleJson()));
            for (Operation op : Operation.values()) {
                for (Caller caller : Caller.values()) {
                    cases++;
                    Verdict expected = RulesOracle.verdict(shape, op, caller);
                    Verdict actual = run(rules, op, caller);
                    kinds.add(op + " " + expected.outcome() + " " + expected.reason());
                    if (!expected.equals(actual) && mismatches.size() < 20) {
                        mismatches.add(op + " by " + caller + " with " + shape.ruleJson()
                                + "\n    expected " + expected + "\n    engine   " + actual);
                    }
                }
            }
        }
        assertThat(mismatches).as("cases where the engine and the reference reading disagree").isEmpty();
        assertThat(cases).isEqualTo(CASES);
        assertThat(kinds).as("every outcome the space can produce is produced").containsAll(List.of(
                "READ ALLOWED RULES", "READ PARTIAL RULES", "READ DENIED NO_ROLE", "READ DENIED DOCUMENT_FILTER",
                "READ DENIED NO_READABLE_FIELDS", "INSERT ALLOWED RULES", "INSERT DENIED FIELDS_NOT_WRITABLE",
                "INSERT DENIED INSERT_NOT_ALLOWED", "UPDATE_SECRET DENIED FIELDS_NOT_WRITABLE", "UPDATE_TITLE ALLOWED RULES",
                "REPLACE DENIED DOCUMENT_FILTER", "DELETE DENIED DELETE_NOT_ALLOWED", "DELETE ALLOWED RULES"));
    }

    @Test
    void theComparisonCatchesAnEngineThatAnswersForAnotherShape() {
        Shape shape = new Shape(RuleSpace.ApplyWhen.OWNER, RuleSpace.Permission.UNSET, RuleSpace.Permission.UNSET,
                RuleSpace.SecretEntry.DENY, RuleSpace.Additional.READ_WRITE, RuleSpace.DocumentFilters.UNSET,
                RuleSpace.InsertDelete.DEFAULT);
        Shape wrong = new Shape(RuleSpace.ApplyWhen.OWNER, RuleSpace.Permission.TRUE, RuleSpace.Permission.UNSET,
                RuleSpace.SecretEntry.DENY, RuleSpace.Additional.READ_WRITE, RuleSpace.DocumentFilters.UNSET,
                RuleSpace.InsertDelete.DEFAULT);
        CollectionRules engine = CollectionRules.compile(rule(wrong.ruleJson()));
        assertThat(RulesOracle.verdict(shape, Operation.READ, Caller.OWNER))
                .isNotEqualTo(run(engine, Operation.READ, Caller.OWNER));
    }

    static Verdict run(CollectionRules rules, Operation op, Caller caller) {
        RuleContext ctx = CONTEXTS.get(caller);
        Document before = DOCUMENTS.get(op)[0];
        Document after = DOCUMENTS.get(op)[1];
        ReadResult read = op == Operation.READ ? rules.applyRead(ctx, after) : null;
        Decision decision = switch (op) {
            case READ -> read.decision();
            case INSERT -> rules.checkInsert(ctx, after).decision();
            case UPDATE_TITLE, UPDATE_SECRET -> rules.checkUpdate(ctx, before, after).decision();
            case REPLACE -> rules.checkReplace(ctx, before, after).decision();
            case DELETE -> rules.checkDelete(ctx, before).decision();
        };
        List<String> fields;
        if (read != null) {
            fields = read.visible() ? new ArrayList<>(read.document().keySet()) : List.of();
        } else {
            fields = decision.fieldsRejected().stream().map(FieldRejection::field).toList();
        }
        return new Verdict(decision.outcome(), decision.reason(), fields);
    }

    private static Document document(String[] values) {
        if (values == null) {
            return null;
        }
        Document d = new Document();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                d.put(RuleSpace.FIELDS.get(i), values[i]);
            }
        }
        return d;
    }

    @Test
    void theSpaceDocumentIsTheOneTheOracleDescribes() {
        assertThat(document(RulesOracle.after(Operation.READ))).isEqualTo(doc("{'_id': '1', 'owner_id': 'u1', 'team': 'red', 'title': 't', 'secret': 's'}"));
    }
}
