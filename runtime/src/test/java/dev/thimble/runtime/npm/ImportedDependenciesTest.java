package dev.thimble.runtime.npm;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** thimble import keeps an export's dependency files and proposes a pinned package.json when it carries none. */
class ImportedDependenciesTest {
    @TempDir
    Path dir;

    static AppModel app(String... sources) {
        List<FunctionDef> functions = new java.util.ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            functions.add(new FunctionDef(Json.parse("{\"name\": \"f" + i + "\"}"), sources[i]));
        }
        return new AppModel(Json.parse("{\"name\": \"Shop App\", \"app_id\": \"shop-abcde\"}"), List.of(), functions, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
    }

    @Test
    void anExportWithoutDependenciesGetsAProposalPinnedToTheRegistrysVersions() throws IOException {
        AppModel app = app("exports = async () => { const axios = require('axios'); return require('lodash/isEmpty')({}); };",
                "exports = () => [require('crypto'), require('@sendgrid/mail'), require('child_process'), require('node:path'), require('nope-404')];");
        Map<String, String> registry = Map.of("axios", "1.7.9", "lodash", "4.17.21", "@sendgrid/mail", "8.1.4");
        List<String> said = ImportedDependencies.bring(dir.resolve("export"), dir.resolve("bundle"), app, name -> {
            String v = registry.get(name);
            if (v == null) {
                throw new IOException("the npm registry has no package named " + name);
            }
            return v;
        });
        assertThat(Json.parse(Files.readString(dir.resolve("bundle/functions/package.json"))).get("dependencies").toString())
                .isEqualTo("{\"@sendgrid/mail\":\"8.1.4\",\"axios\":\"1.7.9\",\"lodash\":\"4.17.21\"}");
        assertThat(said).singleElement().asString().startsWith("The functions require 4 npm package(s) the export did not carry:"
                + " proposed functions/package.json with @sendgrid/mail 8.1.4, axios 1.7.9, lodash 4.17.21;"
                + " not pinned: nope-404 (the npm registry has no package named nope-404)");
    }

    @Test
    void whatTheExportCarriesComesAlongAndNothingIsProposed() throws IOException {
        Path functions = dir.resolve("export/functions");
        Files.createDirectories(functions.resolve("node_modules/lodash"));
        Files.writeString(functions.resolve("node_modules/lodash/index.js"), "module.exports = {};");
        Files.writeString(functions.resolve("package.json"), "{\"dependencies\": {\"lodash\": \"4.17.21\"}}");
        Files.write(functions.resolve("node_modules.zip"), new byte[]{'P', 'K', 5, 6});
        List<String> said = ImportedDependencies.bring(dir.resolve("export"), dir.resolve("bundle"), app("exports = () => require('lodash');"),
                name -> { throw new AssertionError("no registry look-up when the export carries its packages"); });
        assertThat(dir.resolve("bundle/functions/node_modules/lodash/index.js")).hasContent("module.exports = {};");
        assertThat(dir.resolve("bundle/functions/node_modules.zip")).exists();
        assertThat(said).containsExactly("Kept functions/package.json from the export.", "Kept functions/node_modules.zip from the export.",
                "Kept functions/node_modules from the export.");
    }
}
