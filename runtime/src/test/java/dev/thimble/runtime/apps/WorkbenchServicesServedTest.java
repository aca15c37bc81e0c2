package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console's snippets, the scheduled triggers' clock and the data browser's new collections, on a real server. */
class WorkbenchServicesServedTest {
    @TempDir
    static Path temp;
    private static AppSession session;

    @BeforeAll
    static void start() throws Exception {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        session.editor().create(new EditableItem.Function("writeSummary"), null,
                "exports = async function() {\n"
                        + "  await context.services.get('mongodb-atlas').db('todo').collection('summaries').insertOne({ at: new Date() });\n"
                        + "  return 'ok';\n};\n");
        session.editor().create(new EditableItem.Trigger("hourlySummary"),
                Starters.scheduledTrigger("0 * * * *", false, "writeSummary"), null);
        session.editor().create(new EditableItem.Trigger("dailyReport"),
                Starters.scheduledTrigger("30 6 * * *", false, "writeSummary"), null);
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void aSnippetRunsAsTheChosenUserWithTheWholeContextAndLeavesALogRecord() {
        User user = AuthStores.in(session.host().orElseThrow().database().database(
                        AppHost.stateDatabaseName(session.model().clientAppId())))
                .users().create("normal", new User.Identity(new org.bson.types.ObjectId().toHexString(), "local-userpass",
                        "local-userpass", new org.bson.Document()), new org.bson.Document("email", "snippet@example.com"), Instant.now());
        FunctionConsole.CallAs as = session.console().users().stream().filter(u -> u.id().equals(user.id())).findFirst().orElseThrow();

        FunctionConsole.Outcome outcome = session.console().runSnippet(
                "console.log('hello');\nreturn { id: context.user.id, values: context.values.get('appTitle') !== undefined };", "[]", as);

        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).contains(user.id());
        assertThat(outcome.console()).containsExactly("log: hello");
        Eventually.await(Duration.ofSeconds(10), "the snippet's log record", () -> session.host().orElseThrow().logs().recent(100_000).stream()
                .anyMatch(r -> "console:snippet".equals(r.functionName()) && user.id().equals(r.userId())));
    }

    @Test
    void aSnippetWithASyntaxErrorSaysWhereAndNothingOfItStays() {
        FunctionConsole.Outcome outcome = session.console().runSnippet("return 1 +;", "[]", new FunctionConsole.CallAs.System());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.error()).containsIgnoringCase("syntax");
        assertThat(session.model().functions()).noneMatch(f -> f.name().contains("snippet"));
        assertThatThrownBy(() -> session.console().runSnippet("  ", "[]", new FunctionConsole.CallAs.System()))
                .hasMessageContaining("Write some code");
    }

    @Test
    void scheduledTriggersListTheirNextRunsAndAdvancingTheClockRunsWhatFallsDue() {
        ScheduledRuns runs = session.editor().schedules();
        Instant from = Instant.parse("2026-03-01T05:10:00Z");

        List<ScheduledRuns.Upcoming> upcoming = runs.upcoming(from, 3);
        assertThat(upcoming).extracting(ScheduledRuns.Upcoming::trigger).containsExactly("dailyReport", "hourlySummary");
        assertThat(upcoming.get(1).next()).containsExactly(Instant.parse("2026-03-01T06:00:00Z"),
                Instant.parse("2026-03-01T07:00:00Z"), Instant.parse("2026-03-01T08:00:00Z"));

        long before = session.data().find(DataBrowser.Query.all("todo", "summaries", 1)).total();
        List<ScheduledRuns.Occurrence> ran = runs.advance(from, from.plus(Duration.ofHours(2)));

        assertThat(ran).extracting(o -> o.trigger() + "@" + o.at()).containsExactly(
                "hourlySummary@2026-03-01T06:00:00Z", "dailyReport@2026-03-01T06:30:00Z", "hourlySummary@2026-03-01T07:00:00Z");
        assertThat(ran).allMatch(o -> o.error() == null);
        // each run wrote its summary (the database outlives test runs: count what these runs added)
        assertThat(session.data().find(DataBrowser.Query.all("todo", "summaries", 1)).total()).isGreaterThanOrEqualTo(before + 3);
    }

    @Test
    void runNowRunsAScheduledTriggerAndRefusesOtherKindsWithAReason() {
        assertThat(session.editor().schedules().runNow("hourlySummary")).isNull();
        assertThatThrownBy(() -> session.editor().schedules().runNow("onNewItem"))
                .hasMessageContaining("Only a scheduled trigger runs without an event");
    }

    @Test
    void theDataBrowserHidesThimblesDatabasesAndCreatesCollections() {
        // the embedded database outlives a test run: a collection of its own each time
        String orders = "orders" + System.nanoTime();
        session.data().createCollection("shop", orders);

        List<DataBrowser.DatabaseInfo> mine = session.data().databases(false);
        assertThat(mine).extracting(DataBrowser.DatabaseInfo::name).contains("shop").noneMatch(DataBrowser::isInternal);
        assertThat(mine).flatExtracting(DataBrowser.DatabaseInfo::collections).extracting(DataBrowser.CollectionInfo::namespace)
                .contains("shop." + orders);
        assertThat(session.data().databases(true)).anyMatch(d -> d.name().startsWith("__thimble"));
        assertThatThrownBy(() -> session.data().createCollection("shop", orders)).hasMessageContaining("exists already");
        assertThatThrownBy(() -> session.data().createCollection("bad.name", "x")).hasMessageContaining("not a valid namespace");
    }
}
