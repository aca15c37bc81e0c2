package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells which layout a directory holds from its root file, in the order STITCH-SPEC §1C gives:
 * {@code root_config.json}, {@code realm_config.json}, {@code config.json} with a
 * {@code config_version}, {@code stitch.json}.
 */
final class LayoutDetector {
    /** What a person is told was looked for when a directory is no bundle. */
    static final String LOOKED_FOR = "root_config.json, realm_config.json, config.json (with config_version) or stitch.json";

    private LayoutDetector() {
    }

    static Optional<Layout> detect(Path dir) {
        if (Files.isRegularFile(dir.resolve(Layout.APP_SERVICES.rootFile()))) {
            return Optional.of(Layout.APP_SERVICES);
        }
        if (Files.isRegularFile(dir.resolve(Layout.REALM_V2.rootFile()))) {
            return Optional.of(Layout.REALM_V2);
        }
        Path config = dir.resolve(Layout.REALM_V1.rootFile());
        boolean stitch = Files.isRegularFile(dir.resolve(Layout.STITCH_2018.rootFile()));
        if (Files.isRegularFile(config)) {
            Optional<JsonNode> parsed = parse(config);
            // an unparseable config.json with no stitch.json beside it is most likely a broken realm v1
            // root: reading it reports the syntax error where "not a bundle" would only confuse
            if (parsed.map(node -> node.has("config_version")).orElse(!stitch)) {
                return Optional.of(Layout.REALM_V1);
            }
        }
        return stitch ? Optional.of(Layout.STITCH_2018) : Optional.empty();
    }

    private static Optional<JsonNode> parse(Path file) {
        try {
            return Optional.of(Json.MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
