package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service layer on a served app: a structural change is served at once; users and logs of the running app. */
class AppEditorServedTest {
    @TempDir
    static Path temp;
    private static AppSession session;
    private static AppEditor editor;

    @BeforeAll
    static void start() {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        editor = session.editor();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void aCreatedAndThenRenamedFunctionIsServedUnderItsNewNameAndItsCallIsLogged() throws Exception {
        editor.create(new EditableItem.Function("greet"), null, "exports = (name) => 'hello ' + name;\n");
        assertThat(editor.console().call("greet", "[\"ann\"]", new FunctionConsole.CallAs.System()).result()).isEqualTo("\"hello ann\"");

        editor.rename(new EditableItem.Function("greet"), "welcome");

        assertThat(editor.console().call("welcome", "[\"bob\"]", new FunctionConsole.CallAs.System()).result()).isEqualTo("\"hello bob\"");
        assertThatThrownBy(() -> editor.console().call("greet", "[]", new FunctionConsole.CallAs.System()))
                .hasMessageContaining("There is no function 'greet'");
        List<LogRecord> logged = editor.logs().query(LogQuery.all().withFunctionName("welcome")).records();
        assertThat(logged).isNotEmpty();
    }

    @Test
    void usersAreCreatedDisabledEnabledLoggedOutAndDeleted() {
        AppUsers users = editor.users();
        User ann = users.createEmailPasswordUser("ann-" + System.nanoTime() + "@example.com", "correct-horse");
        assertThat(users.list()).extracting(User::id).contains(ann.id());
        String email = ann.data().getString("email");
        AuthService auth = session.host().orElseThrow().auth();
        AuthService.LoginResult login = auth.login("local-userpass", new Document("username", email).append("password", "correct-horse"), "127.0.0.1", null);
        assertThat(login.userId()).isEqualTo(ann.id());

        users.logOut(ann.id());
        assertThatThrownBy(() -> auth.refresh(login.refreshToken())).hasMessageContaining("invalid session");
        assertThatThrownBy(() -> auth.authenticate(login.accessToken())).hasMessageContaining("invalid session");

        users.disable(ann.id());
        assertThat(users.find(ann.id()).orElseThrow().disabled()).isTrue();
        assertThatThrownBy(() -> auth.login("local-userpass", new Document("username", email).append("password", "correct-horse"), "127.0.0.1", null))
                .hasMessageContaining("disabled");
        users.enable(ann.id());
        assertThat(users.find(ann.id()).orElseThrow().disabled()).isFalse();

        users.delete(ann.id());
        assertThat(users.find(ann.id())).isEmpty();
        assertThatThrownBy(() -> users.disable(ann.id())).hasMessageContaining("There is no user " + ann.id());
        assertThatThrownBy(() -> users.createEmailPasswordUser("not-an-email", "correct-horse")).hasMessageContaining("is not an email address");
        assertThatThrownBy(() -> users.createEmailPasswordUser("x@example.com", "short")).hasMessageContaining("6 to 128");
    }

    @Test
    void aRuleCreatedWhileServingDecidesTheNextCall() throws Exception {
        editor.create(new EditableItem.CollectionRule("mongodb-atlas", "todo.notes"),
                Json.parse("{\"roles\": [{\"name\": \"all\", \"apply_when\": {}, \"read\": true, \"insert\": true, \"write\": true}]}"), null);
        editor.create(new EditableItem.Function("addNote"), null,
                "exports = async (text) => (await context.services.get('mongodb-atlas').db('todo').collection('notes')"
                        + ".insertOne({text})).insertedId !== undefined;\n");
        FunctionConsole.Outcome outcome = editor.console().call("addNote", "[\"n1\"]", new FunctionConsole.CallAs.Anonymous());
        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).isEqualTo("true");

        editor.delete(new EditableItem.CollectionRule("mongodb-atlas", "todo.notes"), false);
        FunctionConsole.Outcome refused = editor.console().call("addNote", "[\"n2\"]", new FunctionConsole.CallAs.Anonymous());
        assertThat(refused.error()).isNotNull();
    }
}
