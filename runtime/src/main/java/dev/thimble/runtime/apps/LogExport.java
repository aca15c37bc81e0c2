package dev.thimble.runtime.apps;

import dev.thimble.runtime.logs.LogRecord;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes log records to a file as a JSON array of their stored form (relaxed Extended JSON), atomically. */
public final class LogExport {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private LogExport() {
    }

    /** Writes {@code records} in order, one per line, to {@code target} (replacing it); returns how many. */
    public static int write(List<LogRecord> records, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".logs-", ".json");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write("[\n");
            for (int i = 0; i < records.size(); i++) {
                out.write(records.get(i).toDocument().toJson(RELAXED));
                out.write(i + 1 < records.size() ? ",\n" : "\n");
            }
            out.write("]\n");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return records.size();
    }
}
