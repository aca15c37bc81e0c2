package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shorthands shared by the functions tests. */
final class Functions {
    static final Principal ALICE = new Principal("alice-id", "normal",
            new BsonDocument("email", new BsonString("alice@example.com")),
            List.of(new Principal.Identity("alice-identity", "local-userpass")),
            new BsonDocument("plan", new BsonString("gold")));

    /** Generous: a cold JVM on a busy machine needs ~1 s for its first call. Hostile tests use {@link #SHORT}. */
    static final FunctionLimits TEST_LIMITS = FunctionLimits.defaults().withTimeLimit(Duration.ofSeconds(20));
    static final Duration SHORT = Duration.ofMillis(300);

    private Functions() {
    }

    static FunctionResult run(FunctionEngine engine, String name, BsonValue... args) {
        return engine.execute(name, List.of(args), ExecutionRequest.asUser(ALICE));
    }

    /** Runs {@code name} as Alice and returns its value, failing the test with the function's error otherwise. */
    static BsonValue value(FunctionEngine engine, String name, BsonValue... args) {
        FunctionResult result = run(engine, name, args);
        assertThat(result.error()).as(() -> result.error().describe()).isNull();
        return result.value();
    }

    /** Extended JSON (canonical or relaxed) to a BSON value. */
    static BsonValue ejson(String json) {
        return BsonDocument.parse("{\"v\": " + json + "}").get("v");
    }
}
