package dev.thimble.runtime.data;

import dev.thimble.runtime.data.DatabaseWarning.IgnoredFeature;
import dev.thimble.runtime.data.EmbeddedLimits.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judgement on wire-level command documents, as any client sends them (not only the Java
 * driver): where in a command an unsupported operator can hide.
 */
class EmbeddedLimitsTest {

    private final EmbeddedLimits limits = new EmbeddedLimits();

    static Stream<Arguments> refusedCommands() {
        Map<String, Object> text = Map.of("$text", Map.of("$search", "x"));
        return Stream.of(
                Arguments.of("$text in a find filter", cmd("find", "c", "filter", text), "$text"),
                Arguments.of("$text under $and in a count", cmd("count", "c", "query", Map.of("$and", List.of(Map.of("a", 1), text))), "$text"),
                Arguments.of("$near in a distinct query", cmd("distinct", "c", "key", "a", "query", Map.of("loc", Map.of("$near", List.of(0, 0)))), "$near"),
                Arguments.of("$nearSphere in a delete statement", cmd("delete", "c", "deletes", List.of(Map.of("q", Map.of("loc", Map.of("$nearSphere", List.of(0, 0))), "limit", 0))), "$nearSphere"),
                Arguments.of("$geoWithin in an update statement", cmd("update", "c", "updates", List.of(Map.of("q", Map.of("loc", Map.of("$geoWithin", Map.of())), "u", Map.of("$set", Map.of("a", 1))))), "$geoWithin"),
                Arguments.of("$text in findAndModify", cmd("findAndModify", "c", "query", text, "remove", true), "$text"),
                Arguments.of("$unionWith in $facet", cmd("aggregate", "c", "pipeline", List.of(Map.of("$facet", Map.of("a", List.of(Map.of("$unionWith", "d")))))), "$unionWith"),
                Arguments.of("$setWindowFields in a $lookup pipeline", cmd("aggregate", "c", "pipeline", List.of(Map.of("$lookup", Map.of("from", "d", "as", "x", "pipeline", List.of(Map.of("$setWindowFields", Map.of())))))), "$setWindowFields"),
                Arguments.of("$geoNear as a stage", cmd("aggregate", "c", "pipeline", List.of(Map.of("$geoNear", Map.of()))), "$geoNear"),
                Arguments.of("a pipeline update among plain ones", cmd("update", "c", "updates", List.of(Map.of("q", Map.of(), "u", Map.of("$set", Map.of())), Map.of("q", Map.of(), "u", List.of()))), "pipeline-style updates (an update given as an array of stages)"),
                Arguments.of("a pipeline findAndModify", cmd("findAndModify", "c", "query", Map.of(), "update", List.of()), "pipeline-style updates (an update given as an array of stages)"),
                Arguments.of("startTransaction on an insert", cmd("insert", "c", "documents", List.of(Map.of()), "startTransaction", true, "autocommit", false), "multi-document transactions"),
                Arguments.of("a later statement of a transaction", cmd("find", "c", "autocommit", false, "txnNumber", 1L), "multi-document transactions"),
                Arguments.of("commitTransaction", cmd("commitTransaction", 1), "multi-document transactions"),
                Arguments.of("create capped", cmd("create", "c", "capped", true, "size", 4096), "capped collections"),
                Arguments.of("convertToCapped", cmd("convertToCapped", "c", "size", 4096), "capped collections"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCommands")
    void commandsNeedingAMissingFeatureAreRefusedNamingIt(String description, Map<String, Object> command, String feature) {
        EmbeddedLimits.Verdict verdict = limits.judge("app", command.keySet().iterator().next(), command);
        assertThat(verdict).isEqualTo(new EmbeddedLimits.Verdict(Action.REFUSE, "The embedded database does not support "
                + feature + ". Connect a real MongoDB (thimble serve --mongo-uri ...) to use it."));
    }

    @Test
    void plainCommandsRunWithoutWarnings() {
        for (Map<String, Object> command : List.of(
                cmd("insert", "c", "documents", List.of(Map.of("$text", "a value, not an operator"))),
                cmd("find", "c", "filter", Map.of("name", "x")),
                cmd("update", "c", "updates", List.of(Map.of("q", Map.of(), "u", Map.of("$inc", Map.of("n", 1))))),
                cmd("aggregate", "c", "pipeline", List.of(Map.of("$match", Map.of()), Map.of("$out", "d"))),
                cmd("createIndexes", "c", "indexes", List.of(Map.of("key", Map.of("a", 1), "name", "a_1", "unique", true))))) {
            assertThat(limits.judge("app", command.keySet().iterator().next(), command)).isEqualTo(EmbeddedLimits.Verdict.EXECUTE);
        }
        assertThat(limits.warnings()).isEmpty();
    }

    @Test
    void abortTransactionIsAcknowledgedBecauseNothingRanInOne() {
        assertThat(limits.judge("admin", "abortTransaction", cmd("abortTransaction", 1)).action()).isEqualTo(Action.ACKNOWLEDGE);
    }

    @Test
    void collationInADeleteStatementIsWarnedAbout() {
        Map<String, Object> delete = cmd("delete", "c", "deletes",
                List.of(Map.of("q", Map.of(), "limit", 1, "collation", Map.of("locale", "fr"))));
        assertThat(limits.judge("app", "delete", delete)).isEqualTo(EmbeddedLimits.Verdict.EXECUTE);
        assertThat(limits.warnings()).extracting(DatabaseWarning::feature, DatabaseWarning::namespace)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IgnoredFeature.COLLATION, "app.c"));
    }

    /** A command document with its fields in the given order (the first is the command name). */
    private static Map<String, Object> cmd(Object... keysAndValues) {
        Map<String, Object> command = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            command.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return command;
    }
}
