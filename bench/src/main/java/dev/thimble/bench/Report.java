package dev.thimble.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one benchmark run: the machine, every round of every measurement, medians over
 * the rounds, and ratios against baselines measured in the same run. Written as
 * {@code <name>.md} for people and {@code <name>.json} for tools.
 */
final class Report {
    private final String name;
    private final String title;
    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final Map<String, List<Load.Sample>> rounds = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final List<Map<String, Object>> ratios = new ArrayList<>();
    private final Map<String, Map<String, Object>> singles = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<List<String>>> tables = new LinkedHashMap<>();
    private final String loadBefore;
    private final Instant started = Instant.now();

    Report(String name, String title) {
        this.name = name;
        this.title = title;
        this.loadBefore = loadAverage();
        machine.put("uptimeBefore", uptime());
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("jvmArgs", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    void describe(String caseName, String description) {
        descriptions.put(caseName, description);
    }

    void note(String text) {
        notes.add(text);
    }

    /** An extra table (its first row is the header) printed under its title. */
    void table(String title, List<List<String>> rows) {
        tables.put(title, rows);
    }

    /** The output of {@code uptime}: the machine's load, which the lead compares runs by. */
    static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "uptime unavailable: " + e.getMessage();
        }
    }

    static String key(String caseName, int clients) {
        return caseName + " @" + clients;
    }

    void add(String caseName, int clients, Load.Sample sample) {
        rounds.computeIfAbsent(key(caseName, clients), k -> new ArrayList<>()).add(sample);
        System.err.printf(Locale.ROOT, "  %-28s %2d clients: p50 %8.1f us  p99 %8.1f us  %9.0f ops/s  (%d ops, %d errors)%s%s%n",
                caseName, clients, sample.p50Micros(), sample.p99Micros(), sample.opsPerSecond(), sample.ops(), sample.errors(),
                Double.isNaN(sample.cpuMicrosPerOp()) ? "" : String.format(Locale.ROOT, "  JVM CPU %.0f us/op", sample.cpuMicrosPerOp()),
                Double.isNaN(sample.serverCpuMicrosPerOp()) ? "" : String.format(Locale.ROOT, "  server CPU %.0f us/op", sample.serverCpuMicrosPerOp()));
    }

    /** Medians over the rounds: p50, p99, ops/s. */
    double[] medians(String caseName, int clients) {
        List<Load.Sample> list = rounds.get(key(caseName, clients));
        if (list == null || list.isEmpty()) {
            throw new IllegalStateException("no measurement " + key(caseName, clients));
        }
        return new double[]{
                Load.median(list.stream().mapToDouble(Load.Sample::p50Micros).toArray()),
                Load.median(list.stream().mapToDouble(Load.Sample::p99Micros).toArray()),
                Load.median(list.stream().mapToDouble(Load.Sample::opsPerSecond).toArray())};
    }

    /** Latency ratios a/b (p50, p99) and the throughput ratio a/b, from the medians. */
    void ratio(String label, String a, String b, int clients) {
        double[] x = medians(a, clients);
        double[] y = medians(b, clients);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("label", label);
        r.put("clients", clients);
        r.put("numerator", a);
        r.put("denominator", b);
        r.put("p50Ratio", round(x[0] / y[0]));
        r.put("p99Ratio", round(x[1] / y[1]));
        r.put("throughputRatio", round(x[2] / y[2]));
        ratios.add(r);
    }

    /** A one-off measurement (e.g. the first call after a reload): every value in microseconds, and its median. */
    void single(String label, String description, double[] micros) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description", description);
        s.put("medianMicros", round(Load.median(micros)));
        s.put("minMicros", round(java.util.Arrays.stream(micros).min().orElse(Double.NaN)));
        s.put("maxMicros", round(java.util.Arrays.stream(micros).max().orElse(Double.NaN)));
        s.put("valuesMicros", java.util.Arrays.stream(micros).map(Report::round).boxed().toList());
        singles.put(label, s);
    }

    void ratioOfSingle(String label, String single, double denominatorMicros, String denominator) {
        double x = (double) singles.get(single).get("medianMicros");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("label", label);
        r.put("clients", 1);
        r.put("numerator", single);
        r.put("denominator", denominator);
        r.put("p50Ratio", round(x / denominatorMicros));
        ratios.add(r);
    }

    void write(Path dir, String command) throws IOException {
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAverage());
        machine.put("uptimeAfter", uptime());
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", name);
        json.put("title", title);
        json.put("started", started.toString());
        json.put("finished", Instant.now().toString());
        json.put("command", command);
        json.put("machine", machine);
        json.put("notes", notes);
        Map<String, Object> measurements = new LinkedHashMap<>();
        for (var e : rounds.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            String caseName = e.getKey().substring(0, e.getKey().lastIndexOf(" @"));
            int clients = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('@') + 1));
            double[] med = medians(caseName, clients);
            m.put("case", caseName);
            m.put("description", descriptions.getOrDefault(caseName, ""));
            m.put("clients", clients);
            m.put("medianP50Micros", round(med[0]));
            m.put("medianP99Micros", round(med[1]));
            m.put("medianOpsPerSecond", round(med[2]));
            double[] serverCpu = e.getValue().stream().mapToDouble(Load.Sample::serverCpuMicrosPerOp).filter(d -> !Double.isNaN(d)).toArray();
            if (serverCpu.length > 0) {
                m.put("medianServerCpuMicrosPerOp", round(Load.median(serverCpu)));
            }
            m.put("rounds", e.getValue());
            measurements.put(e.getKey(), m);
        }
        json.put("measurements", measurements);
        json.put("singles", singles);
        json.put("ratios", ratios);
        json.put("tables", tables);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(name + ".json").toFile(), json);

        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Generated by `").append(command).append("` (").append(started).append(").\n\n");
        md.append("## Machine\n\n");
        for (var e : machine.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\n## Ratios (medians over rounds)\n\n");
        md.append("| ratio | clients | p50 ratio | p99 ratio | throughput ratio |\n|---|---:|---:|---:|---:|\n");
        for (var r : ratios) {
            md.append("| ").append(r.get("label")).append(" | ").append(r.get("clients")).append(" | ")
                    .append(fmt(r.get("p50Ratio"))).append("× | ").append(fmt(r.get("p99Ratio")))
                    .append(r.containsKey("p99Ratio") ? "×" : "").append(" | ").append(fmt(r.get("throughputRatio")))
                    .append(r.containsKey("throughputRatio") ? "×" : "").append(" |\n");
        }
        md.append("\nLatency ratios: how many times longer the first case takes than the baseline. ")
                .append("Throughput ratio: the first case's operations per second as a fraction of the baseline's.\n");
        md.append("\n## Measurements (median of rounds; every round in the .json)\n\n");
        md.append("| case | clients | p50 µs | p99 µs | ops/s | server CPU µs/op | rounds | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : measurements.entrySet()) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) e.getValue();
            @SuppressWarnings("unchecked") List<Load.Sample> rs = (List<Load.Sample>) m.get("rounds");
            md.append("| ").append(m.get("case")).append(" | ").append(m.get("clients")).append(" | ")
                    .append(fmt(m.get("medianP50Micros"))).append(" | ").append(fmt(m.get("medianP99Micros"))).append(" | ")
                    .append(fmt(m.get("medianOpsPerSecond"))).append(" | ").append(fmt(m.get("medianServerCpuMicrosPerOp"))).append(" | ")
                    .append(rs.size()).append(" | ")
                    .append(rs.stream().mapToLong(Load.Sample::errors).sum()).append(" |\n");
        }
        if (!singles.isEmpty()) {
            md.append("\n## One-off measurements\n\n| measurement | median µs | min µs | max µs | n |\n|---|---:|---:|---:|---:|\n");
            for (var e : singles.entrySet()) {
                md.append("| ").append(e.getKey()).append(" | ").append(fmt(e.getValue().get("medianMicros"))).append(" | ")
                        .append(fmt(e.getValue().get("minMicros"))).append(" | ").append(fmt(e.getValue().get("maxMicros")))
                        .append(" | ").append(((List<?>) e.getValue().get("valuesMicros")).size()).append(" |\n");
            }
        }
        for (var t : tables.entrySet()) {
            md.append("\n## ").append(t.getKey()).append("\n\n");
            List<List<String>> rows = t.getValue();
            for (int i = 0; i < rows.size(); i++) {
                md.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
                if (i == 0) {
                    md.append("|").append("---|".repeat(rows.get(0).size())).append('\n');
                }
            }
        }
        md.append("\n## Cases\n\n");
        for (var e : descriptions.entrySet()) {
            md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
        }
        for (var e : singles.entrySet()) {
            md.append("- **").append(e.getKey()).append("**: ").append(e.getValue().get("description")).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
        }
        Files.writeString(dir.resolve(name + ".md"), md.toString());
        System.err.println("Wrote " + dir.resolve(name + ".md") + " and .json");
    }

    private static String fmt(Object o) {
        if (o == null) {
            return "–";
        }
        double d = ((Number) o).doubleValue();
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
