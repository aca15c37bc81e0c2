package dev.thimble.runtime.functions;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;

/** One in-memory MongoDB-compatible server on a loopback ephemeral port, shared by the test JVM. */
final class EmbeddedMongo {
    private static MongoServer server;
    private static MongoClient client;

    private EmbeddedMongo() {
    }

    static synchronized MongoClient client() {
        if (client == null) {
            server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                server.shutdownNow();
            }));
        }
        return client;
    }
}
