package dev.thimble.runtime.security;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.security.SecuritySpace.Kind;
import dev.thimble.runtime.security.SecuritySpace.Probe;
import dev.thimble.runtime.security.SecuritySpace.Shape;
import dev.thimble.runtime.security.SecuritySpace.Variant;
import dev.thimble.runtime.security.ServedBundle.Answer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated security suite: every case of {@link SecuritySpace} (role shape × probe) sent over HTTP
 * to one real served app, once per variant of the hidden data, and checked against a reading of the
 * rule "nothing hidden is returned, changed or inferable" that knows nothing of the engine:
 * <ol>
 *   <li><b>inferable</b>: the answer (status, message, body: documents and counts) is the same for every
 *       variant, which differ only in what the shape hides;</li>
 *   <li><b>returned</b>: no answer contains a value only hidden data holds;</li>
 *   <li><b>changed</b>: the hidden part of the data is the same after the probe as before;</li>
 *   <li>and a write that names the hidden field is refused (403) by the shapes that hide it.</li>
 *   <li>and no answer is a server error.</li>
 * </ol>
 * Timing is not measured here (tests never assert wall-clock bounds); that a refusal does not depend on
 * values is structural: the check by name runs before any value is read ({@code CollectionRules.checkNames}).
 */
class GeneratedSecurityTest {
    @TempDir
    static Path temp;
    static ServedBundle app;
    static String token;
    static String me;

    @BeforeAll
    static void serve() {
        ServedBundle.Bundle bundle = ServedBundle.bundle("sec-thmbl").defaultRule(SecuritySpace.DEFAULT_RULE_JSON);
        for (Shape shape : Shape.values()) {
            if (shape.rolesJson == null) {
                continue;
            }
            for (Variant variant : Variant.values()) {
                String coll = shape.collection(variant);
                bundle.file("services/mongodb-atlas/rules/" + SecuritySpace.DATABASE + "." + coll + ".json",
                        "{\"database\": \"" + SecuritySpace.DATABASE + "\", \"collection\": \"" + coll + "\", \"roles\": " + shape.rolesJson
                                + (shape == Shape.OWNER_FILTERED ? ", \"filters\": " + SecuritySpace.OWNER_FILTER : "") + "}");
            }
        }
        app = ServedBundle.serve(bundle, temp);
        token = app.anonymous();
        me = app.userId(token);
        for (Shape shape : Shape.values()) {
            reseed(shape);
        }
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static MongoCollection<Document> collection(Shape shape, Variant variant) {
        return app.host.database().database(SecuritySpace.DATABASE).getCollection(shape.collection(variant));
    }

    static void reseed(Shape shape) {
        for (Variant variant : Variant.values()) {
            MongoCollection<Document> c = collection(shape, variant);
            c.deleteMany(new Document());
            List<Document> docs = SecuritySpace.seed(shape, variant, me);
            if (!docs.isEmpty()) {
                c.insertMany(docs);
            }
        }
    }

    // ---- the oracle: a plain reading of "hidden", independent of the rules engine -----------------

    /** What the shape hides in a collection's documents, as text to compare. */
    static String hidden(Shape shape, List<Document> docs) {
        Map<String, String> out = new TreeMap<>();
        for (Document d : docs) {
            String id = String.valueOf(d.get("_id"));
            switch (shape) {
                case FIELD_HIDDEN, DEFAULT_RULE -> {
                    if (d.containsKey("secret")) {
                        out.put(id, new Document("s", d.get("secret")).toJson());
                    }
                }
                case OWNER_FILTERED -> {
                    if (!me.equals(d.get("owner_id"))) {
                        out.put(id, d.toJson());
                    }
                }
                case NO_READ, READ_ONLY -> out.put(id, d.toJson());
            }
        }
        return out.toString();
    }

    /** The answer as compared between variants: the collection's name and the clock's dates taken out. */
    static String normalized(Answer answer, String collection) {
        return answer.status() + " " + answer.body().replace(collection, "<coll>")
                .replaceAll("\\{\"\\$date\": \\{\"\\$numberLong\": \"-?\\d+\"}}", "<date>");
    }

    /** What one shape's cases came to. */
    record Outcome(int cases, int requests, int refusals, List<String> failures) { }

    static Outcome run(Shape shape, List<Probe> probes) {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int requests = 0;
        int refusals = 0;
        Map<Variant, List<Document>> seeded = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            seeded.put(variant, collection(shape, variant).find().into(new ArrayList<>()));
        }
        for (Probe probe : probes) {
            cases++;
            Map<Variant, String> answers = new EnumMap<>(Variant.class);
            boolean changed = false;
            for (Variant variant : Variant.values()) {
                String coll = shape.collection(variant);
                Answer answer = app.action(token, probe.action(), probe.argumentFor(coll, me));
                requests++;
                answers.put(variant, normalized(answer, coll));
                String where = shape + " " + variant + " " + probe.name();
                for (String marker : SecuritySpace.MARKERS) {
                    if (answer.body().contains(marker)) {
                        failures.add(where + ": the answer shows hidden data (" + marker + "): " + answer.body());
                    }
                }
                if (answer.status() >= 500) {
                    failures.add(where + ": answered " + answer.status() + ": " + answer.body());
                }
                // refused: 403 by the rules, or 400 when the embedded server cannot compute an upsert's new document
                // (an operator it lacks; that answer cannot depend on stored data, the new document starts empty)
                if (probe.namesHidden() && shape.hidesAField() && answer.status() != 403
                        && !(answer.status() == 400 && probe.name().startsWith("upsert"))) {
                    failures.add(where + ": a write naming the hidden field was not refused: " + answer.status() + " " + answer.body());
                }
                if (answer.status() == 403) {
                    refusals++;
                }
                if (probe.kind() == Kind.WRITE) {
                    List<Document> now = collection(shape, variant).find().into(new ArrayList<>());
                    String before = hidden(shape, seeded.get(variant));
                    String after = hidden(shape, now);
                    if (!after.equals(before)) {
                        failures.add(where + ": hidden data changed from " + before + " to " + after);
                    }
                    changed |= !now.equals(seeded.get(variant));
                }
            }
            if (answers.values().stream().distinct().count() != 1) {
                failures.add(shape + " " + probe.name() + ": the answer depends on hidden data: " + answers);
            }
            if (changed) {
                reseed(shape);
            }
        }
        return new Outcome(cases, requests, refusals, failures);
    }

    /** CPU time of this JVM (client and server alike): what the suite costs, whatever else the machine runs. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void nothingHiddenIsReturnedChangedOrInferableInAnyCaseOfTheSpace() throws Exception {
        List<Probe> probes = SecuritySpace.probes();
        long wallStart = System.nanoTime();
        long cpuStart = processCpuNanos();
        Map<Shape, Outcome> outcomes = new EnumMap<>(Shape.class);
        // shapes are independent collections: three at a time over the one shared server
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Map<Shape, Future<Outcome>> running = new EnumMap<>(Shape.class);
            for (Shape shape : Shape.values()) {
                running.put(shape, pool.submit(() -> run(shape, probes)));
            }
            for (Map.Entry<Shape, Future<Outcome>> entry : running.entrySet()) {
                outcomes.put(entry.getKey(), entry.getValue().get(10, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int requests = 0;
        Map<Shape, Integer> refusals = new EnumMap<>(Shape.class);
        for (Map.Entry<Shape, Outcome> entry : outcomes.entrySet()) {
            cases += entry.getValue().cases();
            requests += entry.getValue().requests();
            failures.addAll(entry.getValue().failures());
            refusals.put(entry.getKey(), entry.getValue().refusals());
        }
        String summary = "generated security suite: " + cases + " cases (" + Shape.values().length + " role shapes × "
                + probes.size() + " probes, each against " + Variant.values().length + " variants of the hidden data), "
                + requests + " requests over HTTP, " + failures.size() + " failures; 403 answers per shape " + refusals
                + String.format("; %.0f s wall, %.0f s CPU of the whole process (server included)",
                (System.nanoTime() - wallStart) / 1e9, (processCpuNanos() - cpuStart) / 1e9);
        System.out.println(summary);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "generated-security-suite.txt"), summary + System.lineSeparator());
        assertThat(failures.subList(0, Math.min(40, failures.size())))
                .as(failures.size() + " cases where something hidden is returned, changed or inferable (the first 40)")
                .isEmpty();
        assertThat(cases).isEqualTo(Shape.values().length * probes.size());
        assertThat(refusals.get(Shape.FIELD_HIDDEN)).as("the field-hidden shape refuses writes naming the field").isPositive();
    }
}
