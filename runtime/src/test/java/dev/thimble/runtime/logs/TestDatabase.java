package dev.thimble.runtime.logs;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.BsonDocument;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real (embedded, in-memory) MongoDB-compatible server and a driver client to it that counts
 * insert commands and gives up quickly when the server is gone.
 */
final class TestDatabase implements AutoCloseable {
    private MongoServer server;
    private final InetSocketAddress address;
    final MongoClient client;
    final AtomicInteger insertCommands = new AtomicInteger();

    TestDatabase() {
        server = new MongoServer(new MemoryBackend());
        address = server.bind();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://" + address.getHostString() + ":" + address.getPort()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .applyToServerSettings(s -> s.heartbeatFrequency(100, TimeUnit.MILLISECONDS)
                        .minHeartbeatFrequency(20, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(300, TimeUnit.MILLISECONDS).readTimeout(20, TimeUnit.SECONDS)) // a loaded CI machine took over 2 s for a large read
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (event.getCommandName().equals("insert")) { insertCommands.incrementAndGet(); }
                    }
                })
                .build());
    }

    MongoCollection<BsonDocument> logs() {
        return client.getDatabase("__thimble_test").getCollection("log_records", BsonDocument.class);
    }

    List<BsonDocument> stored() {
        return logs().find().into(new ArrayList<>());
    }

    /** The server goes away; the client stays and fails until {@link #restart()}. */
    void stop() { server.shutdownNow(); }

    /** A fresh, empty server on the same port. */
    void restart() {
        server = new MongoServer(new MemoryBackend());
        server.bind(address.getHostString(), address.getPort());
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
