package dev.thimble.bench;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.WorkbenchOptions;
import dev.thimble.workbench.concurrent.UiBatcher;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.runtime.apps.ServerControl;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.bson.BsonArray;
import org.bson.BsonString;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The workbench window (issue 6), headless on Monocle's software pipeline: time from JVM start to the
 * window shown and to interactive (server running, app validated), idle resident memory, and the logs
 * panel's throughput while it follows (scrolls to) the newest record, with the frame time, against the
 * frame time of the same window idle, measured in the same run.
 */
public final class WorkbenchBench {
    private static final long SECONDS = Long.getLong("bench.workbenchSeconds", 5);

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path app = copy(Path.of(System.getProperty("bench.app", "examples/todo")), Files.createTempDirectory("thimble-bench-wb"));
        System.setProperty("thimble.home", Files.createTempDirectory("thimble-bench-home").toString());

        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        CompletableFuture<Workbench> shown = new CompletableFuture<>();
        AtomicLong shownAt = new AtomicLong();
        Platform.runLater(() -> {
            Stage stage = new Stage();
            stage.setOnShown(e -> shownAt.set(System.currentTimeMillis()));
            shown.complete(Workbench.show(stage, WorkbenchOptions.defaults(app)
                    .withServer(new ServerControl.ServerSettings("127.0.0.1", 0)).withExitOnClose(false).withStateFile(null)));
        });
        Workbench workbench = shown.get(60, TimeUnit.SECONDS);
        while (!fx(() -> workbench.model().server().stateProperty().get() == ServerViewModel.State.RUNNING
                && !workbench.model().problems().summaryProperty().get().startsWith("Not validated"))) {
            Thread.sleep(5);
        }
        long interactiveAt = System.currentTimeMillis();
        fx(() -> {
            workbench.view().showDock(MainWindowView.Dock.LOGS);
            return null;
        });

        Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
        System.gc();
        Thread.sleep(1000);
        long idleRssKb = ProcStat.rssKb(ProcessHandle.current().pid());

        double[] idleFrames = frames(SECONDS, null);
        List<String> rows = new ArrayList<>();
        rows.add(row("idle window, logs panel shown (baseline)", 0, idleFrames, 0));
        for (int rate : new int[] {1_000, 10_000, 0}) {
            AtomicLong appended = new AtomicLong();
            AtomicLong reached = new AtomicLong();
            Runnable producer = producer(workbench, rate, appended, reached);
            double[] frames = frames(SECONDS, producer);
            double perSecond = reached.get() / (double) SECONDS;
            rows.add(row(rate == 0 ? "as fast as the producer can (batches of 500)" : String.format("%,d records/s offered", rate),
                    perSecond, frames, fx(() -> (long) workbench.model().logs().records().size())));
            fx(() -> {
                workbench.model().logs().clear();
                return null;
            });
        }
        write(jvmStart, shownAt.get(), interactiveAt, idleRssKb, idleFrames, rows);
        fx(workbench::quit).get(30, TimeUnit.SECONDS);
        workbench.stopped().get(30, TimeUnit.SECONDS);
        Platform.exit();
        System.exit(0);
    }

    /** Feeds records through the same batcher the live feed uses, at {@code rate} per second (0: flat out). */
    private static Runnable producer(Workbench workbench, int rate, AtomicLong appended, AtomicLong reached) {
        return () -> {
            UiBatcher<LogRecord> batcher = new UiBatcher<>(Platform::runLater, batch -> {
                workbench.model().logs().append(batch);
                reached.addAndGet(batch.size());
            });
            long start = System.nanoTime();
            int i = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<LogRecord> batch = new ArrayList<>(500);
                int size = rate == 0 ? 500 : Math.max(1, rate / 100);
                for (int k = 0; k < size; k++, i++) {
                    batch.add(record(i));
                }
                batcher.add(batch);
                appended.addAndGet(batch.size());
                if (rate > 0) {
                    long due = start + (long) ((double) appended.get() / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                } else {
                    // flat out, but no further ahead of the UI than 20,000 records (the live feed's ring bounds it the same way)
                    while (appended.get() - reached.get() > 20_000) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        };
    }

    private static LogRecord record(int i) {
        LogRecord.Builder b = LogRecord.start(i % 3 == 0 ? LogType.SERVICE_FUNCTION : LogType.FUNCTION, java.time.Clock.systemUTC())
                .userId("user" + (i % 50)).request("POST", "http://127.0.0.1/api/client/v2.0/app/todo-thmbl/functions/call");
        if (i % 3 == 0) {
            b.service("mongodb-atlas", "find").namespace("todo.items");
        } else {
            b.function("addItem", "id").arguments(new BsonArray(List.of(new BsonString("item " + i))), false).message("added item " + i);
        }
        if (i % 500 == 0) {
            b.error("Error: boom " + i, "FunctionExecutionError");
        }
        return b.finish();
    }

    /** Frame intervals in ms over {@code seconds}, while {@code load} runs on its own thread (if any). */
    private static double[] frames(long seconds, Runnable load) throws Exception {
        List<Long> stamps = new ArrayList<>();
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                stamps.add(now);
            }
        };
        Platform.runLater(timer::start);
        Thread producer = load == null ? null : Thread.ofPlatform().name("bench-producer").start(load);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        if (producer != null) {
            producer.interrupt();
            producer.join();
        }
        CompletableFuture<double[]> out = new CompletableFuture<>();
        Platform.runLater(() -> {
            timer.stop();
            double[] gaps = new double[Math.max(0, stamps.size() - 1)];
            for (int i = 1; i < stamps.size(); i++) {
                gaps[i - 1] = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
            }
            out.complete(gaps);
        });
        return out.get(30, TimeUnit.SECONDS);
    }

    private static String row(String name, double perSecond, double[] frames, long held) {
        double[] sorted = frames.clone();
        Arrays.sort(sorted);
        return String.format("| %s | %s | %d | %.1f | %.1f | %.1f | %s |", name,
                perSecond == 0 ? "-" : String.format("%,.0f", perSecond), frames.length,
                pct(sorted, 0.5), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                held == 0 ? "-" : String.format("%,d", held));
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static void write(long jvmStart, long shownAt, long interactiveAt, long rssKb, double[] idle, List<String> rows) throws IOException {
        Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder();
        md.append("# Workbench: start, memory, logs panel throughput\n\n");
        md.append("Command: `").append(System.getProperty("bench.command", "bench/run workbench")).append("`  \n");
        md.append("When: ").append(Instant.now()).append("; machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load ").append(Files.readString(Path.of("/proc/loadavg")).strip()).append("  \n");
        md.append("JavaFX on Monocle headless with the software pipeline (no GPU, no X server): frame times are the toolkit's pulses "
                + "(60 per second when it keeps up).\n\n");
        md.append("| measure | value |\n|---|---|\n");
        md.append("| JVM start to window shown | ").append(shownAt - jvmStart).append(" ms |\n");
        md.append("| JVM start to interactive (server running, app validated) | ").append(interactiveAt - jvmStart).append(" ms |\n");
        md.append("| idle resident memory (after GC, server running) | ").append(rssKb / 1024).append(" MB |\n\n");
        md.append("Logs panel, following the newest record (each row of ").append(SECONDS)
                .append(" s); the baseline is the same window idle, in the same run:\n\n");
        md.append("| load | records/s reaching the panel | frames | frame p50 ms | frame p99 ms | frame max ms | records held at the end |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append("\nRatio to the baseline: compare each row's frame p50/p99 with the first row's. The panel holds at most " + String.format("%,d", dev.thimble.workbench.logs.LogsViewModel.MAX_RECORDS) + " "
                + "records (the oldest go first), so the flat-out row also measures trimming.\n");
        Files.writeString(dir.resolve("workbench.md"), md.toString());
        System.out.println(md);
    }

    private static <T> T fx(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                out.complete(action.call());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        });
        return out.get(60, TimeUnit.SECONDS);
    }

    private static Path copy(Path from, Path parent) throws IOException {
        Path target = parent.resolve(from.getFileName().toString());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }
}
