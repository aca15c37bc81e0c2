package dev.thimble.debugger;

import dev.thimble.testing.Eventually;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replaying logged calls and trigger events under the debugger, with writes applied or only reported. */
class ReplayTest {
    @TempDir
    static Path tmp;
    static AppHost host;
    static DebugApp.Login login;

    @BeforeAll
    static void startHost() throws Exception {
        host = DebugApp.start(tmp);
        login = DebugApp.login(host);
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void aLoggedSdkCallReplaysAsItsUserUnderTheDebuggerWithItsWritesOnlyReported() throws Exception {
        assertThat(DebugApp.call(host, login, "saveNote", "[\"from the app\"]").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        LogRecord logged = awaitLogged("saveNote");
        long before = DebugApp.count(host, "notes");

        Breakpoints breakpoints = new Breakpoints();
        breakpoints.set(Breakpoints.Line.at("functions/saveNote/source.js", 5));
        try (FunctionDebugger debugger = FunctionDebugger.attach(host.services().functions(), breakpoints)) {
            Pauses pauses = new Pauses(debugger);
            CompletableFuture<ReplayResult> replay = new Replayer(host.services().functions()).start(ReplayRequest.fromLog(logged));

            PauseSnapshot p = pauses.next();
            assertThat(p.userId()).isEqualTo(login.userId());
            assertThat(p.origin().kind()).isEqualTo(ExecutionOrigin.Kind.REPLAY);
            assertThat(pauses.control(p).evaluate("count", 0).display()).as("the read ran for real").isEqualTo(String.valueOf(before));
            pauses.control(p).resume();

            ReplayResult result = replay.get(30, TimeUnit.SECONDS);
            assertThat(result.result().succeeded()).isTrue();
            assertThat(result.dryRun()).isTrue();
            assertThat(result.writes()).hasSize(1);
            RecordedWrite write = result.writes().getFirst();
            assertThat(write.action()).isEqualTo("insertOne");
            assertThat(write.userId()).isEqualTo(login.userId());
            assertThat(write.arguments().getDocument("document")).isEqualTo(new BsonDocument("text", new BsonString("from the app"))
                    .append("owner", new BsonString(login.userId())));
            assertThat(write.describe()).startsWith("insertOne dbg.notes {");
            assertThat(result.result().value().asDocument().get("id")).isEqualTo(write.answer().asDocument().get("insertedId"));
        }
        assertThat(DebugApp.count(host, "notes")).as("nothing written").isEqualTo(before);
    }

    @Test
    void aTriggerEventPassedToItsFunctionReportsEveryWriteAndWritesNothing() {
        ObjectId id = new ObjectId();
        BsonDocument event = new BsonDocument("operationType", new BsonString("insert"))
                .append("fullDocument", new BsonDocument("_id", new BsonObjectId(id)).append("text", new BsonString("t")));

        ReplayResult result = new Replayer(host.services().functions()).run(ReplayRequest.ofTriggerEvent("onNote", event));

        assertThat(result.result().error()).isNull();
        assertThat(result.result().value()).isEqualTo(new BsonObjectId(id));
        assertThat(result.writes()).extracting(RecordedWrite::action).containsExactly("insertOne", "updateOne");
        assertThat(result.writes().get(0).arguments().getDocument("document"))
                .isEqualTo(new BsonDocument("seen", new BsonObjectId(id)).append("op", new BsonString("insert")));
        assertThat(result.writes().get(1).answer()).as("the insert was withheld, so nothing matches")
                .isEqualTo(new BsonDocument("matchedCount", new BsonInt64(0)).append("modifiedCount", new BsonInt64(0)));
        assertThat(result.writes().get(0).userId()).isEmpty();
        assertThat(host.database().database("dbg").getCollection("audit").countDocuments(new org.bson.Document("seen", id))).isZero();
    }

    @Test
    void aWebhookPayloadReplaysUnderTheDebuggerWithThePayloadBesideTheStack() throws Exception {
        BsonDocument payload = new BsonDocument("query", new BsonDocument("name", new BsonString("Ola")))
                .append("headers", new BsonDocument()).append("body", new BsonString(""));
        Breakpoints breakpoints = new Breakpoints();
        breakpoints.set(Breakpoints.Line.at("functions/hook/source.js", 3));
        try (FunctionDebugger debugger = FunctionDebugger.attach(host.services().functions(), breakpoints)) {
            Pauses pauses = new Pauses(debugger);
            CompletableFuture<ReplayResult> replay = new Replayer(host.services().functions())
                    .start(ReplayRequest.ofWebhookPayload("hook", payload));

            PauseSnapshot p = pauses.next();
            assertThat(p.origin().kind()).isEqualTo(ExecutionOrigin.Kind.WEBHOOK);
            assertThat(p.origin().detail()).isEqualTo(payload);
            assertThat(pauses.control(p).evaluate("name", 0).display()).isEqualTo("\"Ola\"");
            pauses.control(p).resume();

            assertThat(replay.get(30, TimeUnit.SECONDS).result().value()).isEqualTo(new BsonString("hook for Ola"));
        }
    }

    @Test
    void anIncomingWebhookReplaysItsOwnSourceWithThePayload() {
        BsonDocument payload = new BsonDocument("query", new BsonDocument()).append("headers", new BsonDocument())
                .append("body", new org.bson.BsonBinary("{\"text\":\"again\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        ReplayResult result = new Replayer(host.services().functions()).run(ReplayRequest.ofWebhook("inbox", "note", payload));

        assertThat(result.result().error()).isNull();
        assertThat(result.result().value()).isEqualTo(new BsonDocument("shout", new BsonString("AGAIN!")));
    }

    @Test
    void aReplayWithWritesAppliedChangesTheDatabase() {
        ObjectId id = new ObjectId();
        BsonDocument event = new BsonDocument("operationType", new BsonString("insert"))
                .append("fullDocument", new BsonDocument("_id", new BsonObjectId(id)));

        ReplayResult result = new Replayer(host.services().functions()).run(ReplayRequest.ofTriggerEvent("onNote", event).withDryRun(false));

        assertThat(result.result().error()).isNull();
        assertThat(result.writes()).isEmpty();
        assertThat(host.database().database("dbg").getCollection("audit").find(new org.bson.Document("seen", id)).first())
                .containsEntry("checked", true);
    }

    @Test
    void aCallWhoseArgumentsWereNotLoggedCannotReplayUntilTheyAreGiven() {
        LogRecord record = LogRecord.start(LogType.FUNCTION, Clock.systemUTC()).function("greet", "")
                .arguments(new BsonArray(List.of(new BsonString("secret"))), true).userId("u1").finish(LogStatus.SUCCESS);

        assertThatThrownBy(() -> ReplayRequest.fromLog(record))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disable_arg_logs");
        ReplayRequest edited = new ReplayRequest("greet", "u1", new BsonArray(List.of(new BsonString("Ivy"))), true, null);
        assertThat(new Replayer(host.services().functions()).run(edited).result().value().asDocument().getString("shout").getValue())
                .isEqualTo("HELLO, IVY!");
    }

    @Test
    void replayingAFunctionTheAppNoLongerHasSaysSo() {
        assertThatThrownBy(() -> new Replayer(host.services().functions()).run(new ReplayRequest("gone", "", null, true, null)))
                .hasMessageContaining("no function of that name");
    }

    private static LogRecord awaitLogged(String function) throws InterruptedException {
        return Eventually.awaitValue("a log record of " + function,
                () -> host.logs().recent(100).stream().filter(r -> function.equals(r.functionName())).findFirst().orElse(null));
    }
}
