package dev.thimble.ruledesigner;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The linter finds what the runtime accepts but is surely a mistake, and nothing on a sound rule. */
class LintsTest {

    private static List<Lint.Kind> kinds(List<Lint> lints) {
        return lints.stream().map(Lint::kind).toList();
    }

    @Test
    void aRoleWhoseApplyWhenIsFalseOrContradictoryNeverApplies() {
        RuleDesign d = RuleDesign.parse("""
                {"database": "db", "collection": "c", "roles": [
                  {"name": "off", "apply_when": {"%%true": false}},
                  {"name": "both", "apply_when": {"%and": [{"%%user.custom_data.role": "doctor"}, {"%%user.custom_data.role": "nurse"}]}},
                  {"name": "fine", "apply_when": {"%%user.custom_data.role": "doctor"}}]}""");
        List<Lint> lints = RuleLinter.lint(d);
        assertThat(lints).extracting(Lint::where).containsExactly("roles[0].apply_when", "roles[1].apply_when");
        assertThat(kinds(lints)).containsOnly(Lint.Kind.NEVER_APPLIES);
    }

    @Test
    void rolesAfterAnAlwaysTrueRoleAreShadowed() {
        RuleDesign d = RuleDesign.parse("""
                {"database": "db", "collection": "c", "roles": [
                  {"name": "owner", "apply_when": {"owner_id": "%%user.id"}},
                  {"name": "everyone", "apply_when": {}, "read": true},
                  {"name": "admin", "apply_when": {"%%user.custom_data.admin": true}}]}""");
        List<Lint> lints = RuleLinter.lint(d);
        assertThat(lints).hasSize(1);
        assertThat(lints.get(0).kind()).isEqualTo(Lint.Kind.SHADOWED);
        assertThat(lints.get(0).message()).contains("\"admin\"").contains("\"everyone\"");
    }

    @Test
    void aFieldWritableButNotReadableIsReported() {
        RuleDesign d = RuleDesign.parse("""
                {"database": "db", "collection": "c", "roles": [
                  {"name": "r", "apply_when": {}, "fields": {"notes": {"read": false, "write": true}, "title": {"read": true, "write": true}}}]}""");
        assertThat(RuleLinter.lint(d)).extracting(Lint::where).containsExactly("roles[0].fields.notes");
    }

    @Test
    void filtersOnFieldsWithoutAnIndexAndApplyWhenOnFieldsNoDocumentHasAreReported() {
        RuleDesign d = RuleDesign.parse("""
                {"database": "db", "collection": "c",
                 "roles": [{"name": "r", "apply_when": {"owner": "%%user.id", "%%root.tema": "red"}, "read": true}],
                 "filters": [{"name": "mine", "apply_when": {}, "query": {"owner": "%%user.id", "team": "red"}, "projection": {}}]}""");
        List<Document> indexes = List.of(new Document("_id", 1), new Document("owner", 1).append("due", -1));
        List<Document> sample = List.of(new Document("_id", 1).append("owner", "u1").append("team", "red"));
        List<Lint> lints = RuleLinter.lint(d, indexes, sample);
        assertThat(lints).extracting(Lint::kind, Lint::where).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Lint.Kind.UNKNOWN_FIELD, "roles[0].apply_when"),
                org.assertj.core.groups.Tuple.tuple(Lint.Kind.FILTER_WITHOUT_INDEX, "filters[0].query"));
        assertThat(lints.get(0).message()).contains("\"tema\"");
        assertThat(lints.get(1).message()).contains("\"team\"");
    }

    @Test
    void theClinicRulesHaveNoStaticLints() {
        RuleDesign d = RuleDesign.of(dev.thimble.runtime.app.AppBundles.read(java.nio.file.Path.of("../examples/clinic")).app()
                .service("mongodb-atlas").orElseThrow().collectionRules().get(0));
        assertThat(RuleLinter.lint(d)).isEmpty();
    }

    @Test
    void aRuleWithTwoRolesOfOneNameOpensAndIsReported() {
        RuleDesign d = RuleDesign.parse("""
                {"database": "db", "collection": "c", "roles": [
                  {"name": "r", "apply_when": {"a": 1}}, {"name": "r", "apply_when": {"b": 2}}]}""");
        assertThat(RuleLinter.lint(d)).extracting(Lint::kind, Lint::where)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Lint.Kind.DUPLICATE_NAME, "roles[1].name"));
    }
}
