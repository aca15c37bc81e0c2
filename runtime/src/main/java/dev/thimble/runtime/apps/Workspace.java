package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.BundleValidator;
import dev.thimble.runtime.app.Layout;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.app.WriteOptions;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.runtime.app.ClientAppIds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One app bundle open for editing: the directory, the model last read from it, and its problems.
 * Saving applies an edit to the current model and writes only the files it changes, then reads the
 * bundle back, so the model here is always what is on disk. Thread-safe; every method may block
 * on the disk (call it off the JavaFX thread).
 */
public final class Workspace {
    private final Path directory;
    private final SecretStore secrets;
    private LoadResult loaded;

    private Workspace(Path directory, LoadResult loaded, SecretStore secrets) {
        this.directory = directory;
        this.loaded = loaded;
        this.secrets = secrets;
    }

    /**
     * Reads the bundle in {@code directory}.
     *
     * @throws EditRefusedException when it holds no readable app; the message names the directory and why
     */
    public static Workspace open(Path directory) {
        return open(directory, null);
    }

    /**
     * Reads the bundle in {@code directory}, with the app's secret values in {@code secrets} (null for
     * the store under Thimble's home, {@link SecretStore#forApp}).
     *
     * @throws EditRefusedException when it holds no readable app; the message names the directory and why
     */
    public static Workspace open(Path directory, SecretStore secrets) {
        Path dir = directory.toAbsolutePath().normalize();
        LoadResult loaded = AppBundles.read(dir);
        if (loaded.app() == null) {
            String why = loaded.problems().isEmpty() ? "it holds no app bundle" : loaded.problems().getFirst().reason();
            throw new EditRefusedException("Cannot open " + dir + ": " + why);
        }
        if (!ClientAppIds.usable(loaded.app().clientAppId())) {
            throw new EditRefusedException("Cannot open " + dir + ": its client app id '" + loaded.app().clientAppId()
                    + "' cannot name the app's folder; change app_id in its root config (letters, digits, '.', '_', '-').");
        }
        SecretStore store = secrets != null ? secrets : SecretStore.forApp(loaded.app().clientAppId());
        // secret values written in the bundle (inline webhook secrets) are served the way import stores them
        loaded.extractedSecrets().forEach((name, value) -> {
            if (store.get(name).isEmpty()) {
                store.set(name, value);
            }
        });
        return new Workspace(dir, loaded, store);
    }

    public Path directory() {
        return directory;
    }

    public synchronized AppModel model() {
        return loaded.app();
    }

    public synchronized LoadResult loaded() {
        return loaded;
    }

    /** The app's local secret store (values never in the bundle). */
    public SecretStore secrets() {
        return secrets;
    }

    /** Every problem of the bundle as it is on disk: reading's, then the validator's (parses all JavaScript; ~ms per function). */
    public List<Problem> validate() {
        LoadResult current = loaded();
        Set<String> withValues = new HashSet<>(secrets.names());
        withValues.addAll(current.extractedSecrets().keySet());
        return new BundleValidator().validate(current, withValues);
    }

    /**
     * Applies {@code edit} to the current model and writes the files that change.
     *
     * @return the model as read back from disk, and the files written or deleted (none when the edit changed nothing)
     * @throws EditRefusedException when saving could lose content (see {@link #refusalReason()}) or the edit refuses
     * @throws IOException          when writing fails; files already replaced stay replaced, each one whole
     */
    public synchronized Saved save(UnaryOperator<AppModel> edit) throws IOException {
        String refusal = refusalReason();
        if (refusal != null) {
            throw new EditRefusedException(refusal);
        }
        AppModel before = loaded.app();
        AppModel after = edit.apply(before);
        if (after.equals(before)) {
            return new Saved(before, List.of());
        }
        List<String> changed = BundleSync.apply(before, after, directory);
        loaded = AppBundles.read(directory);
        return new Saved(loaded.app() == null ? after : loaded.app(), changed);
    }

    /**
     * Why saving is refused, or null when it is safe. The workbench writes the Stitch layout only,
     * and a bundle read with errors lost the broken entities from its model: writing that model
     * back would delete their files.
     */
    public synchronized String refusalReason() {
        if (loaded.layout() != Layout.STITCH_2018) {
            return directory + " is in the " + loaded.layout().toString().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " layout; saving writes the Stitch layout, so export the app to a new folder (File > Export) and open that.";
        }
        Optional<Problem> readError = loaded.problems().stream().filter(Problem::isError).findFirst();
        return readError.map(p -> "Saving is off until " + p.file() + " can be read (" + p.reason()
                + "); saving now would drop it from the bundle. Fix the file in another editor and reopen the app.").orElse(null);
    }

    /**
     * The item a problem's file belongs to, so a double-click can open its editor: by where each
     * entity was read from, else by the Stitch-layout paths of the current model's items.
     */
    public synchronized Optional<EditableItem> itemForFile(String file) {
        Map<String, String> keyByFile = new HashMap<>();
        loaded.origins().forEach((key, origin) -> keyByFile.putIfAbsent(origin, key));
        String key = keyByFile.get(file);
        if (key != null) {
            Optional<EditableItem> item = EditableItem.fromOriginKey(key);
            if (item.isPresent()) {
                return item;
            }
        }
        if (file.startsWith("functions/")) {
            int cut = file.lastIndexOf('/');
            String name = file.substring("functions/".length(), Math.max(cut, "functions/".length()));
            if (loaded.app().function(name).isPresent()) {
                return Optional.of(new EditableItem.Function(name));
            }
        }
        if (file.equals("values") || file.startsWith("values/")) {
            return Optional.of(new EditableItem.Values());
        }
        return AppItems.all(loaded.app()).stream().filter(i -> i.file().equals(file)).findFirst();
    }

    /** Writes the app as a Stitch-layout bundle to a new folder, or to a zip when {@code target} ends in .zip. */
    public void export(Path target, WriteOptions options) throws IOException {
        Path out = target.toAbsolutePath().normalize();
        if (out.startsWith(directory) || directory.startsWith(out)) {
            throw new EditRefusedException("Export to a folder outside the open app (" + directory + "), not " + out + ".");
        }
        if (java.nio.file.Files.isDirectory(out)) {
            try (var entries = java.nio.file.Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    // AppBundles.write would replace a bundle found there: never overwrite another app by accident
                    throw new EditRefusedException(out + " is not empty; export to a new or empty folder.");
                }
            }
        }
        AppModel app = model();
        if (target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            AppBundles.writeZip(app, out, options);
        } else {
            AppBundles.write(app, out, options);
        }
    }

    /**
     * A completed save.
     *
     * @param model   the app as now on disk
     * @param changed bundle-relative paths written or deleted; empty when there was nothing to save
     */
    public record Saved(AppModel model, List<String> changed) {
        public Saved {
            changed = List.copyOf(changed);
        }
    }
}
