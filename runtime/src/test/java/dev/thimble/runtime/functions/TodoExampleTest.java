package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ValueDef;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.thimble.runtime.functions.Functions.ejson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example app's functions ({@code examples/todo}) on the engine and the embedded database:
 * nested calls, a private run-as-system helper, values and async database calls together. Reads
 * only what the engine needs from the bundle (the bundle reader is built elsewhere).
 */
class TodoExampleTest {
    private static final Path BUNDLE = Path.of("..", "examples", "todo");
    private static final Principal ALICE = new Principal("alice-id", "normal", new BsonDocument("email", new BsonString("alice@example.com")), null, null);
    private static final Principal BOB = new Principal("bob-id", "normal", new BsonDocument("email", new BsonString("bob@example.com")), null, null);
    private static FunctionEngine engine;
    private static MongoDatabase todo;

    @BeforeAll
    static void start() {
        todo = EmbeddedMongo.client().getDatabase("todo");
        todo.drop();
        engine = FunctionEngine.builder(loadBundle())
                .mongo(new DriverMongoServiceClient(EmbeddedMongo.client()))
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static FunctionResult call(Principal user, String name, BsonValue... args) {
        return engine.executeFromClient(name, List.of(args), ExecutionRequest.asUser(user));
    }

    private static void signUp(Principal user) {
        BsonDocument authEvent = new BsonDocument("operationType", new BsonString("CREATE"))
                .append("user", user.toContextUser()).append("time", new BsonDateTime(1_700_000_000_000L));
        FunctionResult result = engine.execute("createUserProfile", List.of(authEvent), ExecutionRequest.asSystem());
        assertThat(result.error()).isNull();
    }

    @Test
    void theExampleAppsFunctionsWorkTogether() {
        assertThat(engine.problems()).isEmpty();
        signUp(ALICE);
        signUp(BOB);
        todo.getCollection("lists", BsonDocument.class).insertOne(ejson("{\"_id\": \"L1\", \"owner_id\": \"alice-id\"}").asDocument());

        FunctionResult added = call(ALICE, "addItem", new BsonString("L1"), new BsonString("  buy milk  "), new BsonString("2030-01-01T00:00:00Z"));
        assertThat(added.error()).isNull();
        BsonDocument item = added.value().asDocument();
        assertThat(item.getString("text").getValue()).isEqualTo("buy milk");
        assertThat(item.getString("owner_id").getValue()).isEqualTo("alice-id");
        assertThat(item.get("_id").isObjectId()).isTrue();
        assertThat(added.messages()).containsExactly("added item " + item.getObjectId("_id").getValue().toHexString() + " to list L1");

        FunctionResult tooLong = call(ALICE, "addItem", new BsonString("L1"), new BsonString("x".repeat(201)));
        assertThat(tooLong.error().message()).isEqualTo("An item may have at most 200 characters (this one has 201).");
        assertThat(tooLong.error().stack()).first().asString().contains("functions/validateItemText/source.js:9:");

        assertThat(call(ALICE, "shareList", new BsonString("L1"), new BsonString("bob@example.com")).value())
                .isEqualTo(ejson("{\"shared\": true}"));
        assertThat(call(ALICE, "shareList", new BsonString("L1"), new BsonString("nobody@example.com")).value())
                .isEqualTo(ejson("{\"shared\": false, \"reason\": \"No todo user has the email nobody@example.com.\"}"));
        assertThat(call(BOB, "userIdForEmail", new BsonString("alice@example.com")).error().kind())
                .as("private helpers are not callable from clients").isEqualTo(FunctionError.Kind.NOT_CALLABLE);
    }

    private static AppModel loadBundle() {
        List<FunctionDef> functions = new ArrayList<>();
        for (Path dir : list(BUNDLE.resolve("functions"))) {
            functions.add(new FunctionDef(Json.parse(read(dir.resolve("config.json"))), read(dir.resolve("source.js"))));
        }
        List<ValueDef> values = new ArrayList<>();
        for (Path file : list(BUNDLE.resolve("values"))) {
            values.add(new ValueDef(Json.parse(read(file))));
        }
        List<ServiceDef> services = new ArrayList<>();
        for (Path dir : list(BUNDLE.resolve("services"))) {
            services.add(new ServiceDef(Json.parse(read(dir.resolve("config.json"))), List.of(), null, List.of(), List.of()));
        }
        return new AppModel(Json.parse(read(BUNDLE.resolve("stitch.json"))), List.of(), functions, services, List.of(), values,
                List.of(), List.of(), List.of(), new TreeMap<>());
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
