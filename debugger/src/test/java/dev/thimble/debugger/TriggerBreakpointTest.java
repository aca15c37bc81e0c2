package dev.thimble.debugger;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A database trigger's function pauses at a breakpoint with the trigger and its change event as the origin. */
class TriggerBreakpointTest {
    @TempDir
    Path tmp;

    @Test
    void aTriggerRunPausesWithTheTriggerAndItsEventBesideTheStack() throws Exception {
        Path bundle = DebugApp.write(tmp.resolve("bundle"));
        Files.createDirectories(bundle.resolve("triggers"));
        Files.writeString(bundle.resolve("triggers/noteAdded.json"), """
                {"id": "65a000000000000000000061", "name": "noteAdded", "type": "DATABASE",
                 "config": {"service_name": "mongodb-atlas", "database": "dbg", "collection": "notes",
                            "operation_types": ["INSERT"], "match": {}, "full_document": true},
                 "function_name": "onNote", "disabled": false}
                """);
        try (AppHost host = AppHost.start(AppBundles.read(bundle).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(tmp.resolve("db")), new SecretStore(tmp.resolve("secrets.json"))))) {
            Breakpoints breakpoints = new Breakpoints();
            breakpoints.set(Breakpoints.Line.at("functions/onNote/source.js", 3));
            try (FunctionDebugger debugger = FunctionDebugger.attach(host.services().functions(), breakpoints)) {
                Pauses pauses = new Pauses(debugger);

                host.database().database("dbg").getCollection("notes").insertOne(new Document("text", "from a driver"));
                PauseSnapshot paused = pauses.next();

                assertThat(paused.top().path()).isEqualTo("functions/onNote/source.js");
                assertThat(paused.origin().kind()).isEqualTo(ExecutionOrigin.Kind.TRIGGER);
                assertThat(paused.origin().summary()).isEqualTo("database trigger noteAdded");
                assertThat(paused.origin().detail().getString("operationType").getValue()).isEqualTo("insert");
                assertThat(paused.origin().detail().getDocument("fullDocument").getString("text").getValue()).isEqualTo("from a driver");
                pauses.control(paused).resume();
            }
        }
    }
}
