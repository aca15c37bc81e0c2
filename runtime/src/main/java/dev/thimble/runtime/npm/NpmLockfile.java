package dev.thimble.runtime.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The packages a {@code package-lock.json} pins (lockfile versions 1, 2 and 3): for each, where it goes
 * ({@code node_modules/a/node_modules/b}), its tarball URL and its integrity. Development-only packages
 * are left out (functions never load them).
 */
record NpmLockfile(List<Entry> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One package to install. {@code optional} ones may be skipped when they cannot be fetched. */
    record Entry(String location, String name, String version, String resolved, String integrity, boolean optional) {
    }

    static NpmLockfile read(Path lockfile) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(lockfile));
        List<Entry> entries = new ArrayList<>();
        JsonNode packages = root.get("packages");
        if (packages != null && packages.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String location = e.getKey();
                JsonNode p = e.getValue();
                if (location.isEmpty() || !location.startsWith("node_modules/") || p.path("dev").asBoolean(false)
                        || p.path("inBundle").asBoolean(false) || p.path("extraneous").asBoolean(false)) {
                    continue;
                }
                if (p.path("link").asBoolean(false)) {
                    throw new IOException(lockfile + ": " + location + " is a link to a local folder; functions can only use packages from the registry");
                }
                String name = p.path("name").asText(location.substring(location.lastIndexOf("node_modules/") + 13));
                entries.add(new Entry(location, name, p.path("version").asText(""), p.path("resolved").asText(null),
                        p.path("integrity").asText(null), p.path("optional").asBoolean(false)));
            }
        } else if (root.path("dependencies").isObject()) {
            collectV1(root.get("dependencies"), "node_modules/", entries);
        } else {
            throw new IOException(lockfile + " lists no packages");
        }
        return new NpmLockfile(List.copyOf(entries));
    }

    private static void collectV1(JsonNode dependencies, String base, List<Entry> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            if (p.path("dev").asBoolean(false) || p.path("bundled").asBoolean(false)) {
                continue;
            }
            String location = base + e.getKey();
            out.add(new Entry(location, e.getKey(), p.path("version").asText(""), p.path("resolved").asText(null),
                    p.path("integrity").asText(null), p.path("optional").asBoolean(false)));
            if (p.path("dependencies").isObject()) {
                collectV1(p.get("dependencies"), location + "/node_modules/", out);
            }
        }
    }
}
