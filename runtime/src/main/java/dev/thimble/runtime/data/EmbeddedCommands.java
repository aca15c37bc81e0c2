package dev.thimble.runtime.data;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The embedded server's command entry, called in this process: a command document in, the server's reply out,
 * through the same {@link DurableH2Backend#handleCommand} a command from the socket reaches (so the same limits,
 * the same commits, the same answers), without the socket, the driver's encoding, selection and session, or the
 * two thread wake-ups of a round trip (decision 0066).
 *
 * <p>Documents cross as BSON bytes, the wire's own form, so every value has exactly the type a driver would have
 * decoded from the socket. An error reply becomes the {@link MongoCommandException} the driver throws for it, in
 * the shape the wire handler gives it ({@code errmsg}, {@code code}, {@code codeName}; an exception that is not
 * the server's own becomes "Unknown error: …" without a code), so callers translate both paths alike.
 *
 * <p>The library keys a little state by connection (the last error of {@code getLastError}), kept in a list that
 * one connection's thread writes at a time; each call therefore borrows a connection of its own from a pool that
 * grows to the number of concurrent callers.
 */
final class EmbeddedCommands {

    /** What an error names as the server that answered. */
    static final ServerAddress ADDRESS = new ServerAddress("embedded-in-process", 0);

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private static final DecoderContext DECODING = DecoderContext.builder().build();
    private static final EncoderContext ENCODING = EncoderContext.builder().build();

    /**
     * In-process queries at once; a query beyond them goes through the driver (decision 0066). The library reads a
     * collection holding its monitor, page reads included; in process the monitor is taken by threads that were running
     * JavaScript, and with many of them on two cores one preempted while holding it stalls the others (a convoy that
     * cost a 16-thread burst of function calls two thirds of its throughput); the server's event-loop threads, just
     * woken, do not. {@code -Dthimble.db.inProcessQueries=N} (default: the number of processors).
     */
    static final int QUERIES_AT_ONCE = Integer.getInteger("thimble.db.inProcessQueries", Runtime.getRuntime().availableProcessors());

    private final MongoBackend backend;
    private final ConcurrentLinkedQueue<Channel> idle = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.Semaphore queries = new java.util.concurrent.Semaphore(QUERIES_AT_ONCE);

    EmbeddedCommands(MongoBackend backend) {
        this.backend = backend;
    }

    /**
     * Runs {@code command} (its first key names it) on {@code database}.
     *
     * @return the reply, with {@code ok: 1}
     * @throws MongoCommandException for an error reply, as the driver would
     */
    BsonDocument run(String database, BsonDocument command) {
        Document reply;
        Channel channel = borrow();
        try {
            reply = backend.handleCommand(channel, database, command.getFirstKey(), toServer(command));
        } catch (MongoServerException e) {
            reply = errorReply(e);
        } catch (RuntimeException e) {
            reply = errorReply(new MongoServerException("Unknown error: " + e.getMessage(), e));
        } finally {
            idle.offer(channel);
        }
        BsonDocument answer = fromServer(reply);
        if (!(answer.get("ok") instanceof org.bson.BsonNumber ok) || ok.doubleValue() != 1.0) {
            throw new MongoCommandException(answer, ADDRESS);
        }
        return answer;
    }

    /** Takes one of the in-process queries at once, if one is free; {@link #leave()} gives it back. */
    boolean enter() {
        return queries.tryAcquire();
    }

    void leave() {
        queries.release();
    }

    private Channel borrow() {
        Channel channel = idle.poll();
        return channel != null ? channel : new EmbeddedChannel();
    }

    /** The wire handler's error reply for an exception of the server's (MongoDatabaseHandler.errorResponse). */
    private static Document errorReply(MongoServerException e) {
        Document reply = new Document("$err", e.getMessageWithoutErrorCode());
        reply.put("errmsg", e.getMessageWithoutErrorCode());
        if (e instanceof MongoServerError error) {
            reply.put("code", error.getCode());
            reply.putIfNotNull("codeName", error.getCodeName());
        }
        reply.put("ok", 0);
        return reply;
    }

    static Document toServer(BsonDocument document) {
        BasicOutputBuffer out = new BasicOutputBuffer(256);
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            CODEC.encode(writer, document, ENCODING);
        }
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(out.getInternalBuffer(), 0, out.getPosition()));
    }

    static BsonDocument fromServer(Document document) {
        ByteBuf buffer = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, buffer);
            ByteBuffer bytes = buffer.nioBuffer(buffer.readerIndex(), buffer.readableBytes());
            try (BsonBinaryReader reader = new BsonBinaryReader(bytes)) {
                return CODEC.decode(reader, DECODING);
            }
        } finally {
            buffer.release();
        }
    }
}
