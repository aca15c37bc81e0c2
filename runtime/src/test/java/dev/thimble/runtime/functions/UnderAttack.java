package dev.thimble.runtime.functions;

import org.bson.BsonString;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a hostile execution while another thread keeps calling {@code ping} (which answers
 * {@code "pong"}) on the same engine, and records how long each of those calls took.
 */
final class UnderAttack {
    record Outcome<T>(T attack, List<Long> victimMillis, List<String> victimFailures) {
        long worstMillis() {
            return victimMillis.stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
        }
    }

    static final String PING_SOURCE = "exports = function() { return 'pong'; };";

    private UnderAttack() {
    }

    static <T> Outcome<T> run(FunctionEngine engine, Supplier<T> attack) {
        AtomicBoolean done = new AtomicBoolean();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread victim = Thread.ofPlatform().name("victim").start(() -> {
            // at least a few answers even if the attack ends quickly
            while (!done.get() || latencies.size() + failures.size() < 3) {
                long start = System.nanoTime();
                FunctionResult result = engine.execute("ping", List.of(), ExecutionRequest.asSystem());
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (new BsonString("pong").equals(result.value())) {
                    latencies.add(millis);
                } else {
                    failures.add(String.valueOf(result.error()));
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        T result;
        try {
            result = CompletableFuture.supplyAsync(attack, r -> Thread.ofPlatform().name("attacker").start(r)).join();
        } finally {
            done.set(true);
        }
        try {
            victim.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (victim.isAlive()) {
            // a hang, not a slow machine: 30 s after the attack ended the victim still waits for an answer
            failures.add("the victim's call was still unanswered 30 s after the attack ended");
        }
        return new Outcome<>(result, List.copyOf(latencies), List.copyOf(failures));
    }
}
