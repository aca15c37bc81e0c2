package dev.thimble.runtime.rules.bench;

import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.ReadResult;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * Micro-benchmark (not a test): nanoseconds per rules decision for an owner-only rule
 * ({@code apply_when {owner_id: "%%user.id"}}, read/write true), against the hand-written Java check
 * {@code doc.get("owner_id").equals(userId)} measured in the same run. Half the documents belong to
 * the caller, half do not, so both the allowing and the denying path (with its explanation) run.
 *
 * <p>Run from the repository root (results and the machine: {@code RESULTS.md} next to this file):
 * <pre>
 * mvn -o -q -pl runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/cp.txt) \
 *      dev.thimble.runtime.rules.bench.RulesMicroBench
 * </pre>
 */
public final class RulesMicroBench {
    private static final int DOCS = 1024;
    private static final int OPS_PER_ROUND = 2_000_000;
    private static final int WARMUP_ROUNDS = 8;
    private static final int ROUNDS = 10;

    private static volatile int sink;

    private RulesMicroBench() {
    }

    public static void main(String[] args) {
        CollectionRules rules = CollectionRules.compile(new CollectionRuleDef(Json.parse("""
                {"database": "app", "collection": "notes",
                 "roles": [{"name": "owner", "apply_when": {"owner_id": "%%user.id"}, "read": true, "write": true}]}""")));
        String userId = "5f65a0000000000000000001";
        RuleContext ctx = RuleContext.forUser(Principal.normal(userId)).build();
        Document[] docs = new Document[DOCS];
        for (int i = 0; i < DOCS; i++) {
            String owner = i % 2 == 0 ? userId : "5f65a0000000000000000002";
            docs[i] = new Document("_id", new ObjectId()).append("owner_id", owner).append("text", "note " + i)
                    .append("done", i % 3 == 0).append("n", i).append("tags", java.util.List.of("a", "b"));
        }
        Document[] mine = Arrays.stream(docs).filter(d -> d.get("owner_id").equals(userId)).toArray(Document[]::new);

        ToIntFunction<Document> engine = doc -> rules.applyRead(ctx, doc).visible() ? 1 : 0;
        ToIntFunction<Document> engineAllowedOnly = doc -> {
            ReadResult r = rules.applyRead(ctx, doc);
            return r.document() == doc ? 1 : 0;
        };
        ToIntFunction<Document> handWritten = doc -> doc.get("owner_id").equals(userId) ? 1 : 0;
        ToIntFunction<Document> engineInsert = doc -> rules.checkInsert(ctx, doc).allowed() ? 1 : 0;

        System.out.printf("JDK %s, %d processors, %d docs, %d ops/round, %d warm-up + %d measured rounds%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), DOCS, OPS_PER_ROUND,
                WARMUP_ROUNDS, ROUNDS);
        double base = measure("hand-written owner_id.equals(userId)", docs, handWritten);
        double read = measure("rules applyRead (half allowed, half denied)", docs, engine);
        double allowed = measure("rules applyRead (allowed only)", mine, engineAllowedOnly);
        double insert = measure("rules checkInsert (half allowed, half denied)", docs, engineInsert);
        System.out.printf("ratio applyRead / hand-written: %.1fx; allowed-only: %.1fx; checkInsert: %.1fx%n",
                read / base, allowed / base, insert / base);
    }

    /** Median ns/op over the measured rounds, after warm-up rounds of the same work. */
    private static double measure(String name, Document[] docs, ToIntFunction<Document> work) {
        for (int r = 0; r < WARMUP_ROUNDS; r++) {
            round(docs, work);
        }
        double[] nsPerOp = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            round(docs, work);
            nsPerOp[r] = (System.nanoTime() - start) / (double) OPS_PER_ROUND;
        }
        Arrays.sort(nsPerOp);
        double median = (nsPerOp[ROUNDS / 2 - 1] + nsPerOp[ROUNDS / 2]) / 2;
        System.out.printf("%-48s median %8.1f ns/op  (min %.1f, max %.1f)%n", name, median, nsPerOp[0], nsPerOp[ROUNDS - 1]);
        return median;
    }

    private static void round(Document[] docs, ToIntFunction<Document> work) {
        int acc = 0;
        int n = docs.length;
        for (int i = 0; i < OPS_PER_ROUND; i++) {
            acc += work.applyAsInt(docs[i % n]);
        }
        sink += acc;
    }
}
