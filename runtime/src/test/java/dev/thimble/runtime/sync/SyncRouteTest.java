package dev.thimble.runtime.sync;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The realm-sync route at the protocol level: authentication from the query, the subprotocol, ping/pong, bind/ident. */
class SyncRouteTest {
    @RegisterExtension
    static final SyncServer SERVER = new SyncServer();
    static final HttpClient http = HttpClient.newHttpClient();

    static URI syncUri(String appId, String token) {
        return URI.create(SERVER.host().baseUrl().replaceFirst("^http", "ws") + "/api/client/v2.0/app/" + appId + "/realm-sync?baas_at=" + token);
    }

    static String token() {
        return SERVER.host().auth().login("anon-user", new Document(), "127.0.0.1", null).accessToken();
    }

    /** Collects whole binary messages as text. */
    static final class Frames implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            partial.append(StandardCharsets.UTF_8.decode(data));
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String frame = received.poll(30, TimeUnit.SECONDS);
            assertThat(frame).as("a message from the server within 30 s").isNotNull();
            return frame;
        }
    }

    static WebSocket connect(String appId, String token, Frames frames) throws Exception {
        return http.newWebSocketBuilder().subprotocols(SyncRoute.SUBPROTOCOL, "com.mongodb.realm-query-sync#13")
                .buildAsync(syncUri(appId, token), frames).get(30, TimeUnit.SECONDS);
    }

    static void send(WebSocket ws, String message) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aBadAccessTokenIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> connect("shop-thmbl", "not-a-token", new Frames()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void anotherAppsIdIsNotFound() {
        assertThatThrownBy(() -> connect("other-app", token(), new Frames()))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void theServerSpeaksProtocol14AndAnswersPings() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = connect("shop-thmbl", token(), frames);
        assertThat(ws.getSubprotocol()).isEqualTo(SyncRoute.SUBPROTOCOL);
        send(ws, "ping 123 4\n");
        assertThat(frames.next()).isEqualTo("pong 123\n");
        ws.abort();
    }

    @Test
    void aConnectionsStartAndEndAreLogRecords() throws Exception {
        var login = SERVER.host().auth().login("anon-user", new Document(), "127.0.0.1", null);
        String userId = login.userId();
        Frames frames = new Frames();
        WebSocket ws = connect("shop-thmbl", login.accessToken(), frames);
        send(ws, "ping 1 1\n");
        assertThat(frames.next()).isEqualTo("pong 1\n");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
        assertThat(FlexibleSyncTest.eventually(() -> {
            var types = SERVER.host().logs().recent(10_000).stream().filter(r -> userId.equals(r.userId())).map(r -> r.type()).toList();
            return types.contains(dev.thimble.runtime.logs.LogType.SYNC_CONNECTION_START)
                    && types.contains(dev.thimble.runtime.logs.LogType.SYNC_CONNECTION_END) ? types : null;
        })).as("connection start and end logged for the user").isNotNull();
    }

    @Test
    void bindGivesANewClientFileAndIdentBootstrapsTheQuery() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = connect("shop-thmbl", token(), frames);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        assertThat(ident[0]).isEqualTo("ident");
        assertThat(ident[1]).isEqualTo("1");
        assertThat(Long.parseLong(ident[2])).isGreaterThan(1);
        assertThat(Long.parseLong(ident[3])).isPositive();
        String query = "{}";
        send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 0 " + query.length() + "\n" + query);
        String download = frames.next();
        // Query version 0, last in batch, with one (empty) changeset so the client never loops on an empty batch.
        assertThat(download).startsWith("download 1 ");
        assertThat(download.split("\n")[0].split(" ")).hasSize(14);
        assertThat(download.split("\n")[0]).contains(" 0 1 1 0 ");
        send(ws, "mark 1 7\n");
        assertThat(frames.next()).isEqualTo("mark 1 7\n");
        ws.abort();
    }

    /**
     * Sixteen clients binding at the same moment each get a client file identity of their own (two once got the same
     * one: a duplicate key, and the real client failed with 201), with no lock of sync's own around the issuing: the
     * state database's findOneAndUpdate/$inc hands every caller its own value.
     */
    @Test
    void clientsBindingAtOnceEachGetAClientFileIdentityOfTheirOwn() throws Exception {
        int clients = 16;
        java.util.List<Frames> frames = new java.util.ArrayList<>();
        java.util.List<WebSocket> sockets = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            frames.add(new Frames());
            sockets.add(connect("shop-thmbl", token(), frames.getLast()));
        }
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<CompletableFuture<Void>> sent = new java.util.ArrayList<>();
        for (WebSocket ws : sockets) {
            sent.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        java.util.Set<String> idents = new java.util.HashSet<>();
        for (Frames f : frames) {
            String[] ident = f.next().trim().split(" ");
            assertThat(ident[0]).as("answer to bind: %s", String.join(" ", ident)).isEqualTo("ident");
            idents.add(ident[2]);
        }
        assertThat(idents).hasSize(clients);
        sockets.forEach(WebSocket::abort);
    }

    @Test
    void anIdentWithAFileThisServerNeverIssuedIsRefused() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = connect("shop-thmbl", token(), frames);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        send(ws, "bind 1 " + bind.length() + " 0 0 0\n" + bind);
        send(ws, "ident 1 999999 42 0 0 0 0 0 2\n{}");
        String error = frames.next();
        assertThat(error).startsWith("json_error 208 ");
        assertThat(error).contains("\"action\":\"ClientReset\"");
        ws.abort();
    }

    @Test
    void anUploadEditingAListTheSchemaDoesNotHaveIsRefusedWithBadChangesetAndWritesNothing() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = boundToAnEmptyQuery(frames);
        // CreateObject Item "x" then ArrayInsert into Item["x"].tags: Item has no list "tags" in the app's schema.
        byte[] changeset = java.util.HexFormat.of().parseHex("3f00044974656d" + "3f010474616773" + "3f020178" + "020003 02".replace(" ", "")
                + "08" + "00" + "0302" + "01" + "0100" + "030161" + "00");
        uploadOne(ws, changeset);
        String error = frames.next();
        assertThat(error).startsWith("json_error 212 ");
        assertThat(error).contains("ArrayInsert on Item.tags, which is not a list, set or dictionary in this app's schema");
        assertThat(SERVER.host().database().database("shop").getCollection("items").find(new Document("_id", "x")).first()).isNull();
        ws.abort();
    }

    @Test
    void aCounterIncrementOfAPropertyThatIsNotAnIntegerIsRefusedByNameAndWritesNothing() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = boundToAnEmptyQuery(frames);
        // CreateObject Item "counted" then AddInteger (5) of 5 on Item["counted"].note (a string).
        byte[] changeset = java.util.HexFormat.of().parseHex("3f00044974656d" + "3f01046e6f7465" + "3f0207636f756e746564"
                + "02" + "00" + "0302" + "05" + "00" + "0302" + "01" + "00" + "05");
        uploadOne(ws, changeset);
        String error = frames.next();
        assertThat(error).startsWith("json_error 212 ");
        assertThat(error).contains("AddInteger (a counter's increment) on Item.note, which is not an integer property");
        assertThat(SERVER.host().database().database("shop").getCollection("items").find(new Document("_id", "counted")).first()).isNull();
        ws.abort();
    }

    @Test
    void aCompressedUploadIsInflatedAndABodyThatDoesNotInflateIsAProtocolError() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = boundToAnEmptyQuery(frames);
        // An Item with its required fields, compressed as realm-core compresses an upload body: zlib.
        org.bson.BsonObjectId id = new org.bson.BsonObjectId(new org.bson.types.ObjectId());
        byte[] changeset = Changesets.encode(java.util.List.of(new Instruction.CreateObject("Item", id),
                new Instruction.Update("Item", id, "owner_id", new org.bson.BsonString("zip"), false),
                new Instruction.Update("Item", id, "name", new org.bson.BsonString("zipped"), false)));
        byte[] body = concat(("1 0 1000 0 " + changeset.length + " ").getBytes(StandardCharsets.US_ASCII), changeset);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(body);
        deflater.finish();
        byte[] compressed = new byte[body.length + 64];
        int size = deflater.deflate(compressed);
        deflater.end();
        byte[] header = ("upload 1 1 " + body.length + " " + size + " 1 0 0\n").getBytes(StandardCharsets.US_ASCII);
        ws.sendBinary(ByteBuffer.wrap(concat(header, java.util.Arrays.copyOf(compressed, size))), true).get(30, TimeUnit.SECONDS);
        assertThat(frames.next()).startsWith("download 1 ");
        assertThat(SERVER.host().database().database("shop").getCollection("items").find(new Document("_id", id.getValue())).first())
                .containsEntry("name", "zipped");

        // A body that claims to be compressed but is not zlib data ends the connection with a protocol error.
        byte[] bad = concat("upload 1 1 100 5 2 0 0\n".getBytes(StandardCharsets.US_ASCII), "hello".getBytes(StandardCharsets.US_ASCII));
        ws.sendBinary(ByteBuffer.wrap(bad), true).get(30, TimeUnit.SECONDS);
        String error = frames.next();
        assertThat(error).startsWith("json_error 103 ").contains("not zlib-compressed");
        ws.abort();
    }

    /** A session of a new client file on shop-thmbl, bound, identified with an empty query, and its bootstrap read. */
    private static WebSocket boundToAnEmptyQuery(Frames frames) throws Exception {
        WebSocket ws = connect("shop-thmbl", token(), frames);
        String bind = "{\"schemaVersion\":0,\"sessionReason\":0}";
        send(ws, "bind 1 " + bind.length() + " 0 1 0\n" + bind);
        String[] ident = frames.next().trim().split(" ");
        send(ws, "ident 1 " + ident[2] + " " + ident[3] + " 0 0 0 0 0 2\n{}");
        assertThat(frames.next()).startsWith("download 1 ");
        return ws;
    }

    /** Uploads one uncompressed changeset (client version 1, last integrated server version 0). */
    private static void uploadOne(WebSocket ws, byte[] changeset) throws Exception {
        byte[] body = concat(("1 0 1000 0 " + changeset.length + " ").getBytes(StandardCharsets.US_ASCII), changeset);
        byte[] header = ("upload 1 0 " + body.length + " 0 1 0 0\n").getBytes(StandardCharsets.US_ASCII);
        ws.sendBinary(ByteBuffer.wrap(concat(header, body)), true).get(30, TimeUnit.SECONDS);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

