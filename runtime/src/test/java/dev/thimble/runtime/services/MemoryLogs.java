package dev.thimble.runtime.services;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogType;

import java.net.InetSocketAddress;

/** A log service on an in-memory MongoDB-compatible server, for tests that build services by hand. */
final class MemoryLogs implements AutoCloseable {
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient client;
    final LogService logs;

    MemoryLogs() {
        InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        logs = LogService.builder(client.getDatabase("state").getCollection("log_records")).start();
    }

    LogRecord last(LogType type) {
        return logs.recent(100).stream().filter(r -> r.type() == type).reduce((a, b) -> b).orElseThrow();
    }

    @Override
    public void close() {
        logs.close();
        client.close();
        server.shutdownNow();
    }
}
