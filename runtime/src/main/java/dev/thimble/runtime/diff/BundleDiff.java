package dev.thimble.runtime.diff;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two apps entity by entity and says what changes for their users. Bundles are read with
 * the ordinary bundle reader ({@link AppBundles}), in any layout it reads, from a folder or an
 * exported {@code .zip}; equal apps in different layouts compare equal. Ids and key order do not
 * count as changes; secret values are compared (when both bundles carry one) but never rendered.
 * Binary files (images, archives), which the model does not hold, are compared by digest when the
 * bundles are given as paths.
 *
 * <pre>{@code
 * BundleChanges changes = BundleDiff.between(Path.of("v1"), Path.of("v2"));
 * if (!changes.isEmpty()) System.out.print(changes.toText());
 * }</pre>
 */
public final class BundleDiff {
    private BundleDiff() {
    }

    /**
     * Reads both bundles (folders or {@code .zip} files) and compares them.
     *
     * @throws UnreadableBundleException when either cannot be read as it is, naming file, field and reason
     */
    public static BundleChanges between(Path before, Path after) throws UnreadableBundleException {
        LoadResult a = read(before);
        LoadResult b = read(after);
        return compare(a.app(), a.extractedSecrets(), binaryFiles(before), b.app(), b.extractedSecrets(), binaryFiles(after));
    }

    /**
     * Compares two bundles already read; secret values found in them (legacy {@code secrets.json},
     * inline webhook secrets) are compared by name. Both must hold an app.
     */
    public static BundleChanges between(LoadResult before, LoadResult after) {
        return compare(app(before), before.extractedSecrets(), Map.of(), app(after), after.extractedSecrets(), Map.of());
    }

    /** Compares two app models (e.g. the running app and an uploaded one); secrets by name only. */
    public static BundleChanges between(AppModel before, AppModel after) {
        return compare(before, Map.of(), Map.of(), after, Map.of(), Map.of());
    }

    /**
     * Reads a bundle folder or {@code .zip} the way {@link #between(Path, Path)} does.
     *
     * @throws UnreadableBundleException when it is missing, not a bundle, or has read errors
     */
    public static LoadResult read(Path bundle) throws UnreadableBundleException {
        if (!Files.exists(bundle)) {
            throw new UnreadableBundleException(bundle, List.of(Problem.error("", "", "there is no file or folder at "
                    + bundle.toAbsolutePath() + "; give an app bundle folder or an exported .zip")));
        }
        boolean zip = bundle.getFileName() != null && bundle.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
        LoadResult loaded = zip ? AppBundles.readZip(bundle) : AppBundles.read(bundle);
        if (loaded.hasErrors()) {
            throw new UnreadableBundleException(bundle, loaded.readErrors());
        }
        return loaded;
    }

    private static AppModel app(LoadResult loaded) {
        if (loaded.app() == null) {
            throw new IllegalArgumentException("the bundle could not be read: " + loaded.problems());
        }
        return loaded.app();
    }

    /** The digests of the bundle's binary files (which the model does not hold). */
    private static Map<String, String> binaryFiles(Path bundle) throws UnreadableBundleException {
        try {
            return AppBundles.binaryFileDigests(bundle);
        } catch (java.io.IOException | RuntimeException e) {
            throw new UnreadableBundleException(bundle, List.of(Problem.error("", "", "cannot read its binary files: " + e.getMessage())));
        }
    }

    private static BundleChanges compare(AppModel before, Map<String, String> secretsBefore, Map<String, String> binaryBefore,
                                         AppModel after, Map<String, String> secretsAfter, Map<String, String> binaryAfter) {
        ChangeLog log = new ChangeLog();
        AppSettingChanges.compare(before, after, log);
        ProviderChanges.compare(before, after, log);
        FunctionChanges.compare(before, after, log);
        RuleChanges.compare(before, after, log);
        TriggerChanges.compare(before, after, log);
        ValueChanges.values(before, after, log);
        ValueChanges.secrets(before, secretsBefore, after, secretsAfter, log);
        ServiceChanges.compare(before, after, log);
        EndpointChanges.compare(before, after, log);
        ValueChanges.environments(before, after, log);
        AppSettingChanges.otherFiles(before, after, log);
        AppSettingChanges.binaryFiles(binaryBefore, binaryAfter, log);
        return new BundleChanges(log.changes().stream()
                .sorted(Comparator.comparing(Change::subject)) // stable: within a subject, the order they were found
                .toList());
    }
}
