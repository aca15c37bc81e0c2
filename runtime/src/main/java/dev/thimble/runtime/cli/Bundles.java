package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.BundleValidator;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.values.SecretStore;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Loading bundles for the commands: from a folder or a zip, validated, problems printed the same way everywhere. */
final class Bundles {
    private Bundles() {
    }

    /** Reads a bundle folder or {@code .zip}; fails with a UserError when it does not exist. */
    static LoadResult read(Path source) {
        return read(source, null);
    }

    /** {@link #read(Path)} giving the app {@code clientAppId} (null: the bundle's own, or one derived from its name). */
    static LoadResult read(Path source, String clientAppId) {
        if (!Files.exists(source)) {
            throw new UserError("There is no app bundle at " + source.toAbsolutePath()
                    + ". Give the folder that holds stitch.json (or realm_config.json / root_config.json), or an exported .zip.");
        }
        return isZip(source) ? AppBundles.readZip(source, clientAppId) : AppBundles.read(source, clientAppId);
    }

    static boolean isZip(Path path) {
        return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
    }

    /** Every problem of a bundle: what reading found plus what the validator finds. */
    static List<Problem> validate(LoadResult loaded) {
        if (loaded.app() == null) {
            return loaded.problems();
        }
        // an id that cannot name a folder has no secret store; the validator reports the id itself
        String id = loaded.app().clientAppId();
        Set<String> withValues = ClientAppIds.usable(id) ? SecretStore.forApp(id).names() : Set.of();
        java.util.Set<String> known = new java.util.HashSet<>(withValues);
        known.addAll(loaded.extractedSecrets().keySet());
        return new BundleValidator().validate(loaded, known);
    }

    /** Reads and validates; prints warnings; fails listing every error when there is one. */
    static AppModel loadValid(Path source, PrintWriter out) {
        return loadValidBundle(source, out).app();
    }

    /** {@link #loadValid}, keeping what reading found besides the model (e.g. secret values written inline in the bundle). */
    static LoadResult loadValidBundle(Path source, PrintWriter out) {
        return requireValid(source, read(source), out);
    }

    /** Validates a bundle {@link #read(Path)} from {@code source}; prints warnings; fails listing every error when there is one. */
    static LoadResult requireValid(Path source, LoadResult loaded, PrintWriter out) {
        List<Problem> problems = validate(loaded);
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        problems.stream().filter(p -> !p.isError()).forEach(p -> out.println(p));
        if (!errors.isEmpty() || loaded.app() == null) {
            StringBuilder message = new StringBuilder(source + " has " + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + ":");
            errors.forEach(e -> message.append(System.lineSeparator()).append("  ").append(e));
            message.append(System.lineSeparator()).append("Fix them and try again (thimble validate ").append(source).append(" lists them too).");
            throw new UserError(message.toString());
        }
        return loaded;
    }
}
