package dev.thimble.runtime.npm;

import dev.thimble.testing.npm.LoopbackNpmRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where an app's npm packages come from: its functions/node_modules folder, a node_modules archive, or
 * package.json + lock file installed from a registry (a loopback server speaking the registry's tarball
 * protocol), integrity-checked, unpacked without scripts, cached by the lock file's hash.
 */
class FunctionModulesTest {
    @TempDir
    Path dir;
    LoopbackNpmRegistry registry;
    List<String> requested;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new LoopbackNpmRegistry();
        requested = registry.requested();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    NpmInstaller installer() {
        return new NpmInstaller(URI.create(registry.url()), Duration.ofSeconds(10));
    }

    String publish(String name, String version, Map<String, String> files) throws IOException {
        return registry.publish(name, version, files);
    }

    @Test
    void aLockFileIsInstalledFromTheRegistryOnceAndCachedByItsHash() throws IOException {
        String left = publish("left-pad", "1.3.0", Map.of("package.json", "{\"name\":\"left-pad\",\"main\":\"index.js\",\"scripts\":{\"install\":\"touch /tmp/pwned\"}}",
                "index.js", "module.exports = (s, n) => String(s).padStart(n);"));
        String scoped = publish("@acme/util", "2.0.0", Map.of("package.json", "{\"name\":\"@acme/util\"}", "index.js", "exports.x = 1;"));
        String nested = publish("dep", "1.0.0", Map.of("package.json", "{\"name\":\"dep\"}", "index.js", "exports.v = 1;"));
        Path bundle = bundle("""
                {"name": "app", "lockfileVersion": 3, "requires": true, "packages": {
                  "": {"dependencies": {"left-pad": "1.3.0", "@acme/util": "2.0.0"}},
                  "node_modules/left-pad": {"version": "1.3.0", "integrity": "%s"},
                  "node_modules/@acme/util": {"version": "2.0.0", "resolved": "https://registry.npmjs.org/@acme/util/-/util-2.0.0.tgz", "integrity": "%s"},
                  "node_modules/@acme/util/node_modules/dep": {"version": "1.0.0", "integrity": "%s"},
                  "node_modules/typescript": {"version": "5.0.0", "dev": true, "integrity": "sha512-xx"}
                }}""".formatted(left, scoped, nested));
        List<String> progress = new ArrayList<>();
        FunctionModules.Prepared prepared = FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), progress::add);

        Path root = prepared.root();
        assertThat(prepared.origin()).isEqualTo("functions/package-lock.json");
        assertThat(root.getParent()).isEqualTo(dir.resolve("cache"));
        assertThat(root.resolve("node_modules/left-pad/index.js")).content().contains("padStart");
        assertThat(root.resolve("node_modules/@acme/util/index.js")).exists();
        assertThat(root.resolve("node_modules/@acme/util/node_modules/dep/index.js")).exists();
        assertThat(root.resolve("node_modules/typescript")).doesNotExist();
        assertThat(Path.of("/tmp/pwned")).as("install scripts never run").doesNotExist();
        assertThat(progress).contains("installing 3 npm packages from functions/package-lock.json");
        int fetched = requested.size();

        assertThat(FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), progress::add).root()).isEqualTo(root);
        assertThat(requested).as("an unchanged lock file reuses its install").hasSize(fetched);
    }

    @Test
    void aTarballThatDoesNotMatchItsIntegrityIsRefusedAndNothingIsInstalled() throws IOException {
        publish("left-pad", "1.3.0", Map.of("package.json", "{}", "index.js", "module.exports = 'tampered';"));
        String other = integrity("something else".getBytes(StandardCharsets.UTF_8));
        Path bundle = bundle("{\"lockfileVersion\": 2, \"packages\": {\"node_modules/left-pad\": {\"version\": \"1.3.0\", \"integrity\": \"" + other + "\"}}}");

        assertThatThrownBy(() -> FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), line -> { }))
                .isInstanceOf(IOException.class)
                .hasMessage("left-pad@1.3.0: the tarball does not match the lock file's integrity (sha512); nothing was installed");
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left.toList()).as("no half-installed folder is left").isEmpty();
        }
    }

    @Test
    void anOldLockFileVersion1IsReadToo() throws IOException {
        String pad = publish("left-pad", "1.0.0", Map.of("index.js", "module.exports = 1;"));
        Path bundle = bundle("{\"lockfileVersion\": 1, \"dependencies\": {\"left-pad\": {\"version\": \"1.0.0\", \"integrity\": \"" + pad + "\"},"
                + " \"jest\": {\"version\": \"1.0.0\", \"dev\": true}}}");
        Path root = FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), line -> { }).root();
        assertThat(root.resolve("node_modules/left-pad/index.js")).exists();
    }

    @Test
    void aNodeModulesFolderInTheBundleIsUsedAsItIs() throws IOException {
        Path bundle = dir.resolve("app");
        Files.createDirectories(bundle.resolve("functions/node_modules/x"));
        FunctionModules.Prepared prepared = FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), line -> { });
        assertThat(prepared.root()).isEqualTo(bundle.resolve("functions"));
        assertThat(prepared.origin()).isEqualTo("functions/node_modules");
    }

    @Test
    void nodeModulesArchivesAreUnpackedIntoTheCache() throws IOException {
        Path zipBundle = dir.resolve("zipped");
        Files.createDirectories(zipBundle.resolve("functions"));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("node_modules/lodash/index.js"));
            zip.write("module.exports = 'zip';".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(zipBundle.resolve("functions/node_modules.zip"), zipped.toByteArray());
        FunctionModules.Prepared fromZip = FunctionModules.prepare(zipBundle, dir.resolve("cache"), installer(), line -> { });
        assertThat(fromZip.origin()).isEqualTo("functions/node_modules.zip");
        assertThat(fromZip.root().resolve("node_modules/lodash/index.js")).hasContent("module.exports = 'zip';");

        Path tgzBundle = dir.resolve("tarred");
        Files.createDirectories(tgzBundle.resolve("functions"));
        Files.write(tgzBundle.resolve("functions/node_modules.tgz"), tarGz(Map.of("moment/index.js", "module.exports = 'tgz';"), ""));
        FunctionModules.Prepared fromTgz = FunctionModules.prepare(tgzBundle, dir.resolve("cache"), installer(), line -> { });
        assertThat(fromTgz.root().resolve("node_modules/moment/index.js")).as("an archive of the folder's contents goes under node_modules")
                .hasContent("module.exports = 'tgz';");
    }

    @Test
    void anArchiveEntryThatLeadsOutOfTheFolderIsRefused() throws IOException {
        Path bundle = dir.resolve("evil");
        Files.createDirectories(bundle.resolve("functions"));
        Files.write(bundle.resolve("functions/node_modules.tar.gz"), tarGz(Map.of("node_modules/../../../../escaped.js", "x"), ""));
        assertThatThrownBy(() -> FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), line -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("would be written outside");
        assertThat(dir.resolve("escaped.js")).doesNotExist();
    }

    @Test
    void aPackageJsonWithoutALockFileIsAWarningNotAGuess() throws IOException {
        Path bundle = dir.resolve("nolock");
        Files.createDirectories(bundle.resolve("functions"));
        Files.writeString(bundle.resolve("functions/package.json"), "{\"dependencies\": {\"axios\": \"^1.0.0\"}}");
        FunctionModules.Prepared prepared = FunctionModules.prepare(bundle, dir.resolve("cache"), installer(), line -> { });
        assertThat(prepared.root()).isNull();
        assertThat(prepared.warnings()).singleElement().asString().startsWith("functions/package.json has no package-lock.json");
        assertThat(requested).isEmpty();
    }

    @Test
    void theListingShowsWantedLockedAndInstalledVersionsAndChangesAfterAnInstall() throws IOException {
        String pad = publish("left-pad", "1.3.0", Map.of("package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}", "index.js", "module.exports = 1;"));
        Path bundle = dir.resolve("listed");
        Files.createDirectories(bundle.resolve("functions"));
        Files.writeString(bundle.resolve("functions/package.json"),
                "{\"dependencies\": {\"left-pad\": \"^1.3.0\", \"axios\": \"^1.0.0\"}, \"devDependencies\": {\"jest\": \"^29.0.0\"}}");
        Files.writeString(bundle.resolve("functions/package-lock.json"), "{\"lockfileVersion\": 3, \"packages\": {"
                + "\"node_modules/left-pad\": {\"version\": \"1.3.0\", \"integrity\": \"" + pad + "\"},"
                + "\"node_modules/jest\": {\"version\": \"29.7.0\", \"dev\": true}}}");
        Path cache = dir.resolve("cache");

        FunctionDependencies.Listing before = FunctionDependencies.list(bundle, cache);
        assertThat(before.origin()).isEqualTo("functions/package-lock.json");
        assertThat(before.installable()).isTrue();
        assertThat(before.dependencies()).containsExactly(
                new FunctionDependencies.Dependency("left-pad", "^1.3.0", "1.3.0", null, FunctionDependencies.Status.MISSING,
                        "not installed yet: Install fetches it"),
                new FunctionDependencies.Dependency("axios", "^1.0.0", null, null, FunctionDependencies.Status.NOT_SERVED,
                        "the lock file does not pin it: re-create it with `npm install --package-lock-only`"),
                new FunctionDependencies.Dependency("jest", "^29.0.0", null, null, FunctionDependencies.Status.NOT_SERVED,
                        "a development dependency: functions never load it"));
        assertThat(requested).as("listing fetches nothing").isEmpty();
        assertThat(cache).as("listing writes nothing").doesNotExist();

        FunctionModules.prepare(bundle, cache, installer(), line -> { });
        FunctionDependencies.Listing after = FunctionDependencies.list(bundle, cache);
        assertThat(after.installable()).as("nothing left to install").isFalse();
        assertThat(after.dependencies().getFirst()).isEqualTo(new FunctionDependencies.Dependency("left-pad", "^1.3.0", "1.3.0", "1.3.0",
                FunctionDependencies.Status.INSTALLED, "from functions/package-lock.json"));
        assertThat(after.count(FunctionDependencies.Status.NOT_SERVED)).isEqualTo(2);
    }

    @Test
    void packagesCarriedInANodeModulesFolderAreListedAsInstalled() throws IOException {
        Path bundle = dir.resolve("carried");
        Files.createDirectories(bundle.resolve("functions/node_modules/@acme/util"));
        Files.createDirectories(bundle.resolve("functions/node_modules/lodash"));
        Files.writeString(bundle.resolve("functions/node_modules/lodash/package.json"), "{\"version\": \"4.17.21\"}");
        FunctionDependencies.Listing listing = FunctionDependencies.list(bundle, dir.resolve("cache"));
        assertThat(listing.dependencies()).extracting(FunctionDependencies.Dependency::name, FunctionDependencies.Dependency::installed,
                FunctionDependencies.Dependency::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("@acme/util", "?", FunctionDependencies.Status.INSTALLED),
                org.assertj.core.groups.Tuple.tuple("lodash", "4.17.21", FunctionDependencies.Status.INSTALLED));
        assertThat(listing.installable()).isFalse();
    }

    private Path bundle(String lock) throws IOException {
        Path bundle = dir.resolve("app");
        Files.createDirectories(bundle.resolve("functions"));
        Files.writeString(bundle.resolve("functions/package.json"), "{\"dependencies\": {}}");
        Files.writeString(bundle.resolve("functions/package-lock.json"), lock);
        return bundle;
    }

    static String integrity(byte[] bytes) {
        return LoopbackNpmRegistry.integrity(bytes);
    }

    static byte[] tarGz(Map<String, String> files, String prefix) throws IOException {
        return LoopbackNpmRegistry.tarGz(files, prefix);
    }
}
