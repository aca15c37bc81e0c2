package dev.thimble.runtime.apps;

import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.logs.LogRecord;
import org.bson.Document;
import org.bson.types.ObjectId;
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

/** The console's service: the example app's functions called as system, an anonymous user and a stored user, on a real server. */
class FunctionConsoleTest {
    @TempDir
    static Path temp;
    private static AppSession session;
    private static FunctionConsole console;

    @BeforeAll
    static void start() {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        console = session.console();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void aPrivateFunctionRunsAsSystemAndReturnsItsResultAsExtendedJson() {
        FunctionConsole.Outcome outcome = console.call("validateItemText", "[\"  milk  \"]", new FunctionConsole.CallAs.System());

        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).isEqualTo("\"milk\"");
    }

    @Test
    void aThrowingFunctionShowsItsMessageAndTheUsersStack() {
        FunctionConsole.Outcome outcome = console.call("validateItemText", "[\"   \"]", new FunctionConsole.CallAs.System());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.result()).isNull();
        assertThat(outcome.error()).contains("An item needs some text.").contains("functions/validateItemText/source.js:4");
    }

    @Test
    void anAnonymousCallerOwnsWhatItInsertsAndItsConsoleOutputIsShown() {
        ObjectId list = new ObjectId();
        FunctionConsole.Outcome outcome = console.call("addItem", "[{\"$oid\": \"" + list.toHexString() + "\"}, \"bread\"]",
                new FunctionConsole.CallAs.Anonymous());

        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).contains("\"owner_id\": \"" + FunctionConsole.ANONYMOUS_ID + "\"").contains("\"text\": \"bread\"");
        assertThat(outcome.console()).singleElement().asString().startsWith("log: added item ").endsWith(list.toHexString());
    }

    @Test
    void aStoredUserIsListedAndAFunctionRunsAsThatUser() {
        AppHost host = session.runningHost().orElseThrow();
        User stored = AuthStores.in(host.database().database(AppHost.stateDatabaseName("todo-thmbl"))).users()
                .create("normal", new User.Identity(new ObjectId().toHexString(), "local-userpass", "local-userpass", new Document()),
                        new Document("email", "ada@example.com"), Instant.now());

        List<FunctionConsole.CallAs.ExistingUser> users = console.users();
        FunctionConsole.CallAs.ExistingUser ada = users.stream().filter(u -> u.id().equals(stored.id())).findFirst().orElseThrow();
        assertThat(ada.label()).contains("ada@example.com");

        FunctionConsole.Outcome outcome = console.call("addItem", "[{\"$oid\": \"" + new ObjectId().toHexString() + "\"}, \"tea\"]", ada);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).contains("\"owner_id\": \"" + stored.id() + "\"");
    }

    @Test
    void argumentsThatAreNotAnArrayAreRefusedAndNothingRuns() {
        // the app's triggers may log their own runs meanwhile: count only the console's records
        long before = consoleRecords();

        assertThatThrownBy(() -> console.call("validateItemText", "{\"text\": \"milk\"}", new FunctionConsole.CallAs.System()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The arguments must be an Extended JSON array");
        assertThatThrownBy(() -> console.call("validateItemText", "[\"milk\"", new FunctionConsole.CallAs.System()))
                .hasMessageContaining("not a valid Extended JSON array");
        assertThatThrownBy(() -> console.call("noSuchFunction", "[]", new FunctionConsole.CallAs.System()))
                .hasMessageContaining("There is no function 'noSuchFunction'").hasMessageContaining("addItem");
        assertThat(consoleRecords()).isEqualTo(before);
    }

    private long consoleRecords() {
        return session.runningHost().orElseThrow().logs().recent(100_000).stream()
                .filter(r -> "CONSOLE".equals(r.requestMethod())).count();
    }

    @Test
    void eachCallLeavesALogRecordWithItsArgumentsAndConsoleOutput() throws Exception {
        console.call("validateItemText", "[\"logged\"]", new FunctionConsole.CallAs.System());

        AppHost host = session.runningHost().orElseThrow();
        LogRecord record = Eventually.awaitValue("the console call's log record", () -> host.logs().recent(50).stream()
                .filter(r -> "CONSOLE".equals(r.requestMethod()) && r.arguments() != null && r.arguments().toString().contains("logged"))
                .findFirst().orElse(null));
        assertThat(record.functionName()).isEqualTo("validateItemText");
        assertThat(record.isError()).isFalse();
    }
}
