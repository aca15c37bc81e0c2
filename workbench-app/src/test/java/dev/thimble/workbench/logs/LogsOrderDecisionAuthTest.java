package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.workbench.testing.LogRecords;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The logs panel keeps records in start order, says when filters hide everything, shows decisions as a tree and AUTH records by provider and user. */
class LogsOrderDecisionAuthTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final FakeUiThread ui = new FakeUiThread();
    private final java.util.concurrent.ExecutorService background = Executors.newSingleThreadExecutor();
    private final LogsViewModel logs = ui.call(() -> new LogsViewModel(new UiTasks(background, ui), Clock.fixed(NOW, ZoneOffset.UTC)));

    @AfterEach
    void close() {
        background.shutdownNow();
        ui.close();
    }

    @Test
    void aLongRequestThatCompletesLateStandsWhereItStartedAndARepeatIsNotShownTwice() {
        LogRecord slow = LogRecords.record(1, NOW.minusSeconds(10), LogType.FUNCTION, "slow", "u", null, 12_345);
        LogRecord a = LogRecords.record(2, NOW.minusSeconds(8), LogType.FUNCTION, "a", "u", null, 5);
        LogRecord b = LogRecords.record(3, NOW.minusSeconds(6), LogType.FUNCTION, "b", "u", null, 5);
        ui.run(() -> logs.append(List.of(a, b)));
        ui.run(() -> logs.append(List.of(slow))); // completes last, started first
        ui.run(() -> logs.append(List.of(a))); // the feed's replay after a reconnect

        assertThat(ui.call(() -> logs.records().stream().map(LogRecord::functionName).toList())).containsExactly("slow", "a", "b");
    }

    @Test
    void whenTheFiltersHideEveryRecordTheEmptyTableSaysSoAndWhichFilters() {
        assertThat(ui.call(() -> logs.emptyMessageProperty().get())).startsWith("No log records");
        ui.run(() -> logs.append(LogRecords.many(20, NOW, 5)));
        ui.run(() -> logs.typeProperty().set(LogType.AUTH));
        ui.run(() -> logs.statusProperty().set(LogStatus.ERROR));

        assertThat(ui.call(() -> logs.shown().size())).isZero();
        assertThat(ui.call(() -> logs.emptyMessageProperty().get()))
                .isEqualTo("The filters hide all 20 records (type AUTH, status error). Reset the filters to see them.");
    }

    @Test
    void aDecisionReadsAsATreeOfRolesClausesWithValuesFiltersAndRemovedFields() {
        BsonDocument decision = BsonDocument.parse("""
                {"documents": [{"namespace": "clinic.patients", "action": "READ", "outcome": "ALLOWED", "reason": "ROLE_APPLIED",
                  "role": "nurse",
                  "rolesTried": [
                    {"role": "doctor", "index": 0, "matched": false,
                     "failure": {"rulePath": "roles[0].apply_when", "source": "{\\"doctor_id\\": \\"%%user.id\\"}",
                                 "lhs": "root.doctor_id", "lhsValue": "\\"d-7\\"", "op": "≠", "rhs": "user.id", "rhsValue": "\\"n-1\\"",
                                 "text": "roles[0].apply_when: ..."}},
                    {"role": "nurse", "index": 1, "matched": true, "failure": null}],
                  "filters": [{"filter": "ward only", "applied": true, "matchesNothing": false, "failure": null}],
                  "fieldsRemoved": ["diagnosis"], "unreadableQueryFields": [], "fieldsRejected": [],
                  "schemaViolations": [], "failure": null}]}
                """);
        List<String> lines = DecisionTree.of(decision).getFirst().flatten();

        assertThat(lines).containsExactly(
                "read clinic.patients — ALLOWED by role \"nurse\" (role applied)",
                "  Roles tried, in order",
                "    role \"doctor\" [0]: apply_when failed",
                "      clause roles[0].apply_when: {\"doctor_id\": \"%%user.id\"}",
                "      compared: root.doctor_id = \"d-7\" ≠ user.id = \"n-1\"",
                "    role \"nurse\" [1]: apply_when matched",
                "  Filters",
                "    filter \"ward only\": injected into the query",
                "  Fields removed from what the user received (1)",
                "    diagnosis");
        assertThat(DecisionTree.of(decision).getFirst().tone()).isEqualTo(DecisionTree.Tone.GOOD);
    }

    @Test
    void aFunctionsRecordShowsEachDatabaseCallWithItsDocumentsOrItsRefusal() {
        BsonDocument decision = BsonDocument.parse("""
                {"database_calls": [
                  {"service": "mongodb-atlas", "action": "find", "namespace": "todo.items",
                   "documents": [{"namespace": "todo.items", "action": "READ", "outcome": "ALLOWED", "reason": "ROLE_APPLIED",
                                  "role": "owner", "rolesTried": [{"role": "owner", "index": 0, "matched": true}]}]},
                  {"service": "mongodb-atlas", "action": "insertOne", "namespace": "todo.secrets",
                   "error": "no rule allows insert on todo.secrets", "error_code": "NoMatchingRuleFound"}]}
                """);
        List<DecisionTree.Node> calls = DecisionTree.of(decision);

        assertThat(calls).extracting(DecisionTree.Node::text).containsExactly(
                "Call 1: find todo.items — 1 document",
                "Call 2: insertOne todo.secrets — refused");
        assertThat(calls).extracting(DecisionTree.Node::tone).containsExactly(DecisionTree.Tone.GOOD, DecisionTree.Tone.BAD);
        assertThat(calls.get(0).flatten()).contains("  read todo.items — ALLOWED by role \"owner\" (role applied)");
        assertThat(calls.get(1).flatten()).containsExactly("Call 2: insertOne todo.secrets — refused",
                "  no rule allows insert on todo.secrets (NoMatchingRuleFound)");
    }

    @Test
    void anAuthRecordShowsItsKindProviderAndUser() {
        LogRecord login = auth("POST", "/api/client/v2.0/app/todo-thmbl/auth/providers/local-userpass/login", "u-9", "local-userpass", null);
        LogRecord refresh = auth("POST", "/api/client/v2.0/auth/session", "u-9", null, null);
        LogRecord logout = auth("DELETE", "/api/client/v2.0/auth/session", "u-9", null, null);
        LogRecord failed = auth("POST", "/api/client/v2.0/app/todo-thmbl/auth/providers/local-userpass/login", null, "local-userpass",
                "invalid username/password");

        assertThat(LogsView.name(login)).isEqualTo("login · local-userpass");
        assertThat(LogsView.name(refresh)).isEqualTo("refresh");
        assertThat(LogsView.name(logout)).isEqualTo("logout");
        assertThat(AuthEvents.describe(failed)).isEqualTo("login with local-userpass — failed: invalid username/password");
        ui.run(() -> logs.append(List.of(login)));
        ui.run(() -> logs.selectedProperty().set(login));
        assertThat(ui.call(() -> logs.detailProperty().get())).contains("Auth        login with local-userpass by user u-9");
    }

    private static LogRecord auth(String method, String path, String user, String provider, String failure) {
        LogRecord.Builder b = LogRecord.start(LogType.AUTH, Clock.fixed(NOW, ZoneOffset.UTC)).request(method, "http://127.0.0.1:8080" + path)
                .userId(user);
        if (provider != null || failure != null) {
            b.authEvent(provider, failure);
        }
        if (failure != null) {
            b.error(failure, "AuthError");
        }
        return b.finish();
    }
}
