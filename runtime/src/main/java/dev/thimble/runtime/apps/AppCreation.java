package dev.thimble.runtime.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.BundleValidator;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.app.WriteOptions;
import dev.thimble.runtime.values.SecretStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * New apps: an empty one, a copy of a template (e.g. {@code examples/todo}) with its own name
 * and client app id, or an import of an exported app (Stitch, Realm, realm-cli v2 or App Services;
 * folder or zip) like {@code thimble import}. Either refuses a target that exists and is not empty,
 * and writes nothing then. Blocking; no JavaFX.
 */
public final class AppCreation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AppCreation() {
    }

    /**
     * An import's outcome.
     *
     * @param problems     everything reading and validating the export found (it may need fixes before it serves)
     * @param movedSecrets how many secret values went from the export into the local secret store
     */
    public record Imported(Path directory, String name, List<Problem> problems, int movedSecrets, Summary summary) {
        public Imported {
            problems = List.copyOf(problems);
        }
    }

    /**
     * What an import did, for a person to read.
     *
     * @param imported      what the app holds, by kind ("7 functions", "4 collection rules", ...)
     * @param converted     what was changed on the way (the layout; secret values moved out of the bundle)
     * @param keptNotServed the parts Thimble keeps in the bundle but does not serve (GraphQL, hosting, ...)
     */
    public record Summary(List<String> imported, List<String> converted, List<String> keptNotServed) {
        public Summary {
            imported = List.copyOf(imported);
            converted = List.copyOf(converted);
            keptNotServed = List.copyOf(keptNotServed);
        }
    }

    /** Where an import reports its steps, and how it learns that it should stop. */
    public interface Progress {
        /** @param fraction 0 to 1 */
        void step(String what, double fraction);

        /** Checked between steps; an import stops before it writes anything once this is true. */
        boolean cancelled();

        Progress NONE = new Progress() {
            public void step(String what, double fraction) {
            }

            public boolean cancelled() {
                return false;
            }
        };
    }

    /** Thrown when an import was cancelled; nothing was written. */
    public static final class ImportCancelledException extends RuntimeException {
        public ImportCancelledException() {
            super("The import was cancelled; nothing was written.");
        }
    }

    /**
     * Writes a new, empty app named after {@code target}'s folder (a fresh client app id, no providers,
     * functions or services yet: add them with an {@link AppEditor}); returns the folder.
     */
    public static Path blank(Path target) throws IOException {
        requireEmpty(target);
        String name = slug(target.getFileName().toString());
        ObjectNode root = JSON.createObjectNode();
        root.put("app_id", name + "-" + suffix());
        root.put("name", name);
        root.put("location", "US-VA");
        root.put("deployment_model", "GLOBAL");
        AppModel app = new AppModel(Json.of(root), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), new java.util.TreeMap<>());
        AppBundles.write(app, target, WriteOptions.EXPORT);
        return target;
    }

    /** Writes a new app named after {@code target}'s folder from {@code template}; returns the folder. */
    public static Path fromTemplate(Path template, Path target) throws IOException {
        requireEmpty(target);
        LoadResult loaded = AppBundles.read(template);
        if (loaded.app() == null) {
            throw new IllegalArgumentException("The template " + template + " cannot be read: " + loaded.problems());
        }
        AppBundles.write(loaded.app(), target, WriteOptions.TEMPLATE);
        Path config = target.resolve("stitch.json");
        ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
        String name = slug(target.getFileName().toString());
        root.put("name", name);
        root.put("app_id", name + "-" + suffix());
        Files.writeString(config, JsonText.format(root) + "\n");
        return target;
    }

    /** Imports the export at {@code source} into {@code target} (its secret values into the local secret store). */
    public static Imported importApp(Path source, Path target) throws IOException {
        return importApp(source, target, SecretStore::forApp);
    }

    /** As {@link #importApp(Path, Path)}, with the secret values going to {@code secretsOf(client app id)}. */
    public static Imported importApp(Path source, Path target, java.util.function.Function<String, SecretStore> secretsOf)
            throws IOException {
        return importApp(source, target, secretsOf, Progress.NONE);
    }

    /**
     * As {@link #importApp(Path, Path, java.util.function.Function)}, reporting each step to {@code progress};
     * cancelled before the writing starts, it writes nothing ({@link ImportCancelledException}).
     */
    public static Imported importApp(Path source, Path target, java.util.function.Function<String, SecretStore> secretsOf,
                                     Progress progress) throws IOException {
        progress.step("Reading " + source.getFileName(), 0.05);
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("There is no exported app at " + source
                    + ". Choose the folder that holds stitch.json (or realm_config.json / root_config.json), or an exported .zip.");
        }
        requireEmpty(target);
        boolean zip = source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
        LoadResult loaded = zip ? AppBundles.readZip(source) : AppBundles.read(source);
        if (loaded.app() == null) {
            throw new IllegalArgumentException("Cannot import " + source + ": " + describe(loaded.problems()) + " Nothing was written.");
        }
        if (!loaded.readErrors().isEmpty()) {
            throw new IllegalArgumentException("Cannot import " + source + ": " + loaded.readErrors().size()
                    + " part(s) of it could not be taken as written, and importing would lose them: " + describe(loaded.readErrors())
                    + ". Fix them in the export and import again. Nothing was written.");
        }
        if (!ClientAppIds.usable(loaded.app().clientAppId())) {
            throw new IllegalArgumentException("Cannot import " + source + ": its client app id '" + loaded.app().clientAppId()
                    + "' cannot name the app's folder; change app_id in the export. Nothing was written.");
        }
        stopIfCancelled(progress);
        progress.step("Validating " + loaded.app().functions().size() + " function(s) and their rules", 0.4);
        SecretStore store = secretsOf.apply(loaded.app().clientAppId());
        Set<String> known = new HashSet<>(store.names());
        known.addAll(loaded.extractedSecrets().keySet());
        List<Problem> problems = new BundleValidator().validate(loaded, known);
        stopIfCancelled(progress);
        progress.step("Writing the app to " + target, 0.7);
        AppBundles.write(loaded.app(), target, WriteOptions.EXPORT);
        AppBundles.copyBinaryFiles(source, target); // images, archives: the model holds text only
        Map<String, String> secrets = loaded.extractedSecrets();
        progress.step("Moving secret values into the local secret store", 0.9);
        secrets.forEach(store::set);
        progress.step("Imported", 1.0);
        return new Imported(target, loaded.app().name(), problems, secrets.size(), summary(loaded, secrets.size()));
    }

    private static void stopIfCancelled(Progress progress) {
        if (progress.cancelled()) {
            throw new ImportCancelledException();
        }
    }

    /** What the import brought, what it changed on the way, and what it keeps without serving. */
    static Summary summary(LoadResult loaded, int movedSecrets) {
        AppModel app = loaded.app();
        List<String> imported = new java.util.ArrayList<>();
        count(imported, app.functions().size(), "function");
        count(imported, app.services().stream().mapToInt(s -> s.collectionRules().size()).sum(), "collection rule");
        count(imported, (int) app.services().stream().filter(s -> s.defaultRule() != null).count(), "default rule");
        count(imported, app.triggers().size(), "trigger");
        count(imported, app.values().size(), "value");
        count(imported, app.secretNames().size(), "secret");
        count(imported, app.authProviders().size(), "auth provider");
        count(imported, app.services().size(), "service");
        count(imported, app.services().stream().mapToInt(s -> s.serviceRules().size()).sum(), "service rule");
        count(imported, app.services().stream().mapToInt(s -> s.webhooks().size()).sum(), "incoming webhook");
        count(imported, app.endpoints().size(), "HTTPS endpoint");
        count(imported, app.environments().size(), "environment");
        List<String> converted = new java.util.ArrayList<>();
        if (loaded.layout() != dev.thimble.runtime.app.Layout.STITCH_2018) {
            converted.add("the " + loaded.layout() + " layout (" + loaded.layout().rootFile() + ") into the Stitch layout (stitch.json)");
        }
        if (movedSecrets > 0) {
            converted.add(movedSecrets + " secret value(s) moved out of the bundle into the local secret store");
        }
        return new Summary(imported, converted, dev.thimble.runtime.app.UnservedParts.keptNotServed(app));
    }

    private static void count(List<String> out, int n, String kind) {
        if (n > 0) {
            out.add(n + " " + kind + (n == 1 ? "" : "s"));
        }
    }

    private static String describe(List<Problem> problems) {
        return problems.stream().filter(Problem::isError).map(Problem::toString).limit(3).reduce((a, b) -> a + "; " + b).orElse("it is not an app bundle.");
    }

    private static void requireEmpty(Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (!Files.isDirectory(target) || entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(target + " already exists and is not empty. Choose a new or empty folder.");
                }
            }
        }
    }

    private static String slug(String folder) {
        String s = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "app" : s;
    }

    private static String suffix() {
        StringBuilder out = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            out.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return out.toString();
    }
}
