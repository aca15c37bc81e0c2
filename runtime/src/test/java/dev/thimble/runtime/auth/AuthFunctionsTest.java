package dev.thimble.runtime.auth;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.functions.FunctionEngine;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The providers and flows that run the app's functions on the real GraalJS engine: custom-function
 * logins, and the email/password confirmation and reset functions. The database is real (in memory).
 */
class AuthFunctionsTest {
    private static MongoServer server;
    private static MongoClient client;
    private static FunctionEngine engine;

    private static final List<FunctionDef> FUNCTIONS = List.of(
            function("authByPin", """
                    exports = function(payload) {
                      if (payload.options !== undefined) throw new Error('options must not reach the function');
                      if (payload.pin !== 1234) throw new Error('wrong PIN for ' + payload.username);
                      return payload.username;
                    };"""),
            function("authWithName", "exports = ({ username }) => ({ id: 'fn-' + username, name: 'User ' + username });"),
            function("authReturnsNumber", "exports = () => 42;"),
            function("confirmByName", """
                    exports = ({ token, tokenId, username }) => {
                      if (!token || !tokenId) throw new Error('no token given');
                      if (username.startsWith('pending')) return { status: 'pending' };
                      if (username.startsWith('fail')) return { status: 'fail' };
                      if (username.startsWith('throw')) throw new Error('confirmation service is down for ' + username);
                      if (username.startsWith('odd')) return { ok: true };
                      return { status: 'success' };
                    };"""),
            function("confirmAll", "exports = () => ({ status: 'success' });"),
            function("resetWithAnswer", """
                    exports = ({ token, tokenId, username, password }, answer, extra) => {
                      if (!token || !tokenId || !username) throw new Error('incomplete reset details');
                      if (answer === 'pending') return { status: 'pending' };
                      if (answer === 'throw') throw new Error('security question service unavailable');
                      return { status: answer === 'blue' && extra === 7 ? 'success' : 'fail' };
                    };"""));

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final List<AuthService.OutgoingMail> mails = new ArrayList<>();
    /** Every function call's arguments, in order: the functions run for real, this only records. */
    private final List<List<BsonValue>> calls = new ArrayList<>();
    private final AtomicReference<AppModel> model = new AtomicReference<>();
    private AuthStores stores;
    private AuthService auth;

    @BeforeAll
    static void start() {
        server = new MongoServer(new MemoryBackend());
        var address = server.bind();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        engine = FunctionEngine.builder(app("confirmByName", false)).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        client.close();
        server.shutdownNow();
    }

    @BeforeEach
    void newApp() {
        model.set(app("confirmByName", false));
        stores = AuthStores.in(client.getDatabase("state_" + System.nanoTime()));
        AuthFunctions real = AuthFunctions.running(() -> engine);
        auth = new AuthService(model::get, stores,
                new Tokens("0123456789abcdef0123456789abcdef".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60)),
                clock, LoginThrottle.standard(clock), userId -> new Document(),
                (name, arguments) -> {
                    calls.add(arguments);
                    return real.run(name, arguments);
                },
                name -> Optional.empty());
        auth.onMail(mails::add);
    }

    private static FunctionDef function(String name, String source) {
        return new FunctionDef(Json.parse("{\"name\":\"" + name + "\",\"private\":true}"), source);
    }

    static AppModel app(String confirmationFunction, boolean autoConfirm) {
        List<AuthProviderDef> providers = List.of(
                new AuthProviderDef(Json.parse("{\"name\":\"local-userpass\",\"type\":\"local-userpass\",\"config\":{"
                        + "\"autoConfirm\":" + autoConfirm + ",\"emailConfirmationUrl\":\"http://app/confirm\","
                        + "\"runConfirmationFunction\":true,\"confirmationFunctionName\":\"" + confirmationFunction + "\","
                        + "\"runResetFunction\":true,\"resetFunctionName\":\"resetWithAnswer\",\"resetPasswordUrl\":\"http://app/reset\"}}")),
                new AuthProviderDef(Json.parse("{\"name\":\"plain-userpass\",\"type\":\"local-userpass\",\"config\":{\"autoConfirm\":true}}")),
                customFunction("custom-function", "authByPin"),
                customFunction("fn-named", "authWithName"),
                customFunction("fn-number", "authReturnsNumber"),
                customFunction("fn-missing", "doesNotExist"),
                new AuthProviderDef(Json.parse("{\"name\":\"fn-unset\",\"type\":\"custom-function\",\"config\":{}}")));
        return new AppModel(Json.parse("{\"app_id\":\"todo-abcde\",\"name\":\"todo\"}"), providers,
                FUNCTIONS, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
    }

    private static AuthProviderDef customFunction(String name, String functionName) {
        return new AuthProviderDef(Json.parse("{\"name\":\"" + name + "\",\"type\":\"custom-function\",\"config\":{\"authFunctionName\":\""
                + functionName + "\"}}"));
    }

    private static void assertApiError(Executable call, int status, String code, String messagePart) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(Failure.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    private static Document registration(String email) {
        return new Document("email", email).append("password", "secret123");
    }

    private AuthService.LoginResult logIn(String email, String password) {
        return auth.login("local-userpass", new Document("username", email).append("password", password), "1.2.3.4", null);
    }

    private static Document pinLogin(String username, int pin) {
        return new Document("username", username).append("pin", pin)
                .append("options", new Document("device", new Document("sdkVersion", "2.0.1")));
    }

    // ---- custom-function -----------------------------------------------------------------------

    @Test
    void aFunctionReturningAStringLogsInAsThatExternalIdWithThePayloadMinusOptions() {
        AuthService.LoginResult first = auth.login("custom-function", pinLogin("fn-user", 1234), "1.2.3.4", null);
        AuthService.LoginResult again = auth.login("custom-function", pinLogin("fn-user", 1234), "1.2.3.4", null);

        assertThat(again.userId()).as("the same external id is the same user").isEqualTo(first.userId());
        assertThat(auth.authenticate(first.accessToken()).user().identities()).singleElement().satisfies(identity -> {
            assertThat(identity.id()).isEqualTo("fn-user");
            assertThat(identity.providerType()).isEqualTo("custom-function");
        });
        assertThat(calls.getFirst()).containsExactly(new BsonDocument("username", new BsonString("fn-user")).append("pin", new BsonInt32(1234)));
    }

    @Test
    void aFunctionReturningIdAndNamePutsTheNameInTheUserData() {
        AuthService.LoginResult login = auth.login("fn-named", new Document("username", "kim"), "1.2.3.4", null);

        User user = auth.authenticate(login.accessToken()).user();
        assertThat(user.identities().getFirst().id()).isEqualTo("fn-kim");
        assertThat(user.data()).isEqualTo(new Document("name", "User kim"));
    }

    @Test
    void aThrowingFunctionRefusesTheLoginWithItsMessage() {
        assertApiError(() -> auth.login("custom-function", pinLogin("fn-user", 1111), "1.2.3.4", null),
                401, "AuthError", "wrong PIN for fn-user");
        assertThat(stores.users().list()).isEmpty();
    }

    @Test
    void aFunctionReturningNeitherAStringNorAnIdIsRefusedSayingWhatItReturned() {
        assertApiError(() -> auth.login("fn-number", new Document(), "1.2.3.4", null),
                401, "AuthError", "the authentication function \"authReturnsNumber\" must return the user's id as a non-empty string or {id, name}, but returned 42");
    }

    @Test
    void aMissingOrUnnamedAuthFunctionIsRefusedNamingWhatToFix() {
        assertApiError(() -> auth.login("fn-missing", new Document(), "1.2.3.4", null),
                401, "AuthError", "the function \"doesNotExist\" could not run");
        assertApiError(() -> auth.login("fn-unset", new Document(), "1.2.3.4", null),
                401, "AuthError", "set config.authFunctionName in auth_providers/fn-unset.json");
    }

    // ---- confirmation function -----------------------------------------------------------------

    @Test
    void aConfirmationFunctionReturningSuccessConfirmsTheUserAtOnce() {
        auth.register("local-userpass", registration("mia@example.com"));

        assertThat(logIn("mia@example.com", "secret123").userId()).isNotBlank();
        BsonDocument details = calls.getFirst().getFirst().asDocument();
        assertThat(details.keySet()).containsExactly("token", "tokenId", "username");
        assertThat(details.getString("username").getValue()).isEqualTo("mia@example.com");
        assertThat(mails).as("no confirmation email when a function confirms").isEmpty();
    }

    @Test
    void pendingLeavesTheUserUnconfirmedUntilItConfirmsWithTheTokenTheFunctionGot() {
        auth.register("local-userpass", registration("pending-sam@example.com"));

        assertApiError(() -> logIn("pending-sam@example.com", "secret123"), 401, "AuthError", "pending confirmation by the app's confirmation function");
        BsonDocument details = calls.getFirst().getFirst().asDocument();
        auth.confirm("local-userpass", new Document("token", details.getString("token").getValue())
                .append("tokenId", details.getString("tokenId").getValue()));
        assertThat(logIn("pending-sam@example.com", "secret123").userId()).isNotBlank();
    }

    @Test
    void failRefusesTheRegistrationAndStoresNothing() {
        assertApiError(() -> auth.register("local-userpass", registration("fail-joe@example.com")),
                400, "BadRequest", "failed to confirm user fail-joe@example.com: the confirmation function \"confirmByName\" returned status \"fail\"");
        assertThat(stores.userpass().findByEmail("fail-joe@example.com")).isEmpty();
    }

    @Test
    void aThrowingConfirmationFunctionRefusesTheRegistrationWithItsMessageAndStoresNothing() {
        assertApiError(() -> auth.register("local-userpass", registration("throw-ann@example.com")),
                400, "FunctionExecutionError", "confirmation service is down for throw-ann@example.com");
        assertThat(stores.userpass().findByEmail("throw-ann@example.com")).isEmpty();
    }

    @Test
    void aConfirmationFunctionReturningNoStatusIsAnErrorShowingWhatItReturned() {
        assertApiError(() -> auth.register("local-userpass", registration("odd-bo@example.com")),
                400, "FunctionExecutionError", "must return {status: \"success\" | \"pending\" | \"fail\"}, but returned {\"ok\": true}");
        assertThat(stores.userpass().findByEmail("odd-bo@example.com")).isEmpty();
    }

    @Test
    void withAutoConfirmTheConfirmationFunctionDoesNotRun() {
        model.set(app("confirmByName", true));
        auth.register("local-userpass", registration("fail-but-auto@example.com"));

        assertThat(logIn("fail-but-auto@example.com", "secret123").userId()).isNotBlank();
        assertThat(calls).isEmpty();
    }

    @Test
    void retryingTheConfirmationFunctionConfirmsAPendingUserOnceItSaysSuccess() {
        auth.register("local-userpass", registration("pending-lee@example.com"));
        auth.retryConfirmationFunction("local-userpass", new Document("email", "pending-lee@example.com"));
        assertApiError(() -> logIn("pending-lee@example.com", "secret123"), 401, "AuthError", "confirmation required");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getFirst().asDocument().getString("tokenId"))
                .as("each run gets a new token").isNotEqualTo(calls.getFirst().getFirst().asDocument().getString("tokenId"));

        model.set(app("confirmAll", false));
        auth.retryConfirmationFunction("local-userpass", new Document("email", "pending-lee@example.com"));

        assertThat(logIn("pending-lee@example.com", "secret123").userId()).isNotBlank();
    }

    @Test
    void retryIsRefusedForConfirmedUsersUnknownEmailsAndProvidersWithoutAFunction() {
        auth.register("local-userpass", registration("mia@example.com"));

        assertApiError(() -> auth.retryConfirmationFunction("local-userpass", new Document("email", "mia@example.com")),
                400, "UserAlreadyConfirmed", "already confirmed");
        assertApiError(() -> auth.retryConfirmationFunction("local-userpass", new Document("email", "nobody@example.com")),
                404, "UserNotFound", "user not found");
        assertApiError(() -> auth.retryConfirmationFunction("plain-userpass", new Document("email", "mia@example.com")),
                400, "BadRequest", "does not confirm users with a function");
    }

    // ---- reset function ------------------------------------------------------------------------

    private void resetCall(String email, String password, Object... arguments) {
        auth.callResetFunction("local-userpass", new Document("email", email).append("password", password)
                .append("arguments", List.of(arguments)));
    }

    @Test
    void aResetFunctionReturningSuccessChangesThePasswordAtOnce() {
        auth.register("local-userpass", registration("mia@example.com"));

        resetCall("mia@example.com", "newpass456", "blue", 7);

        assertThat(logIn("mia@example.com", "newpass456").userId()).isNotBlank();
        assertApiError(() -> logIn("mia@example.com", "secret123"), 401, "InvalidPassword", "invalid username/password");
        List<BsonValue> arguments = calls.getLast();
        assertThat(arguments.getFirst().asDocument().keySet()).containsExactly("token", "tokenId", "username", "password");
        assertThat(arguments.getFirst().asDocument().getString("password").getValue()).isEqualTo("newpass456");
        assertThat(arguments.subList(1, 3)).containsExactly(new BsonString("blue"), new BsonInt32(7));
    }

    @Test
    void pendingKeepsTheOldPasswordUntilTheResetIsCompletedWithTheFunctionsToken() {
        auth.register("local-userpass", registration("mia@example.com"));

        resetCall("mia@example.com", "newpass456", "pending");
        assertThat(logIn("mia@example.com", "secret123").userId()).isNotBlank();

        BsonDocument details = calls.getLast().getFirst().asDocument();
        auth.resetPassword("local-userpass", new Document("token", details.getString("token").getValue())
                .append("tokenId", details.getString("tokenId").getValue()).append("password", "newpass456"));
        assertThat(logIn("mia@example.com", "newpass456").userId()).isNotBlank();
    }

    @Test
    void failKeepsTheOldPasswordAndIsAnError() {
        auth.register("local-userpass", registration("mia@example.com"));

        assertApiError(() -> resetCall("mia@example.com", "newpass456", "green", 7),
                400, "BadRequest", "failed to reset the password of mia@example.com: the reset function \"resetWithAnswer\" returned status \"fail\"");
        assertThat(logIn("mia@example.com", "secret123").userId()).isNotBlank();
        BsonDocument details = calls.getLast().getFirst().asDocument();
        assertApiError(() -> auth.resetPassword("local-userpass", new Document("token", details.getString("token").getValue())
                        .append("tokenId", details.getString("tokenId").getValue()).append("password", "newpass456")),
                400, "UserpassTokenInvalid", "invalid token data");
    }

    @Test
    void aThrowingResetFunctionIsAnErrorWithItsMessage() {
        auth.register("local-userpass", registration("mia@example.com"));

        assertApiError(() -> resetCall("mia@example.com", "newpass456", "throw"),
                400, "FunctionExecutionError", "security question service unavailable");
        assertThat(logIn("mia@example.com", "secret123").userId()).isNotBlank();
    }

    @Test
    void theResetFunctionIsRefusedWhenNotConfiguredForShortPasswordsAndUnknownEmails() {
        auth.register("local-userpass", registration("mia@example.com"));

        assertApiError(() -> auth.callResetFunction("plain-userpass", new Document("email", "mia@example.com").append("password", "newpass456")),
                400, "BadRequest", "does not reset passwords with a function");
        assertApiError(() -> resetCall("mia@example.com", "12345", "blue", 7), 400, "BadRequest", "between 6 and 128");
        assertApiError(() -> resetCall("nobody@example.com", "newpass456", "blue", 7), 404, "UserNotFound", "user not found");
        assertThat(calls).as("the function never ran").hasSize(1);
    }
}
