package dev.thimble.bench;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.ReadResult;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.rules.WriteCheck;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One rules decision for one document under the example app's owner-only rule on {@code todo.items}
 * (issue 3: "an owner-only decision in well under a microsecond"), against the hand-written check a
 * developer would write instead ({@code owner_id.equals(userId)}), in the same JMH run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RulesDecisionBench {
    private CollectionRules items;
    private RuleContext owner;
    private String ownerId;
    private Document ownDocument;
    private Document othersDocument;

    @Setup
    public void compileTheExampleRule() {
        AppModel app = AppBundles.read(Path.of(System.getProperty("bench.app", "examples/todo"))).app();
        CollectionRuleDef rule = app.service("mongodb-atlas").orElseThrow().collectionRules().stream()
                .filter(r -> r.namespace().equals("todo.items")).findFirst().orElseThrow();
        items = CollectionRules.compile(rule);
        ownerId = new ObjectId().toHexString();
        owner = RuleContext.forUser(Principal.normal(ownerId)).build();
        ownDocument = new Document("_id", new ObjectId()).append("owner_id", ownerId).append("text", "milk").append("done", false);
        othersDocument = new Document("_id", new ObjectId()).append("owner_id", "someone-else").append("text", "eggs").append("done", false);
    }

    @Benchmark
    public ReadResult rulesReadOwnDocument() {
        return items.applyRead(owner, ownDocument);
    }

    @Benchmark
    public ReadResult rulesReadOthersDocument() {
        return items.applyRead(owner, othersDocument);
    }

    @Benchmark
    public WriteCheck rulesInsertOwnDocument() {
        return items.checkInsert(owner, ownDocument);
    }

    /** The baseline: what a developer would hand-write for "owner only". */
    @Benchmark
    public boolean handWrittenOwnerCheck() {
        return ownerId.equals(ownDocument.get("owner_id"));
    }
}
