package dev.thimble.workbench.dependencies;

import dev.thimble.runtime.npm.FunctionDependencies;
import dev.thimble.runtime.npm.FunctionModules;
import dev.thimble.runtime.npm.NpmInstaller;
import dev.thimble.workbench.concurrent.UiTasks;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dependencies panel: the open app's function dependencies (what functions/package.json asks for,
 * what the lock file pins, what is installed) and installing them from the npm registry, with the
 * installer's progress lines and a progress bar. Listing and installing run off the UI thread; a failed
 * install is shown in the panel, and the list is read again either way.
 */
public final class DependenciesViewModel {
    /** The installer's "installing name@version (k/n)" lines carry how far it is. */
    private static final Pattern COUNT = Pattern.compile("\\((\\d+)/(\\d+)\\)\\s*$");

    /** The app the panel lists: its bundle folder and the cache its packages are installed into. */
    public record Target(Path bundleDir, Path cacheDir) {
    }

    private final UiTasks tasks;
    private final Supplier<Optional<Target>> target;
    private final Supplier<NpmInstaller> installer;
    private final Runnable afterInstall;
    private final ObservableList<FunctionDependencies.Dependency> dependencies = FXCollections.observableArrayList();
    private final ObservableList<String> progressLines = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyBooleanWrapper installing = new ReadOnlyBooleanWrapper(this, "installing");
    private final ReadOnlyBooleanWrapper installable = new ReadOnlyBooleanWrapper(this, "installable");
    /** 0..1 while installing with a known count, -1 (indeterminate) before the first count. */
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);

    /**
     * @param installer    the registry client, asked for at each install (so its configuration is read then)
     * @param afterInstall what follows a successful install (the workbench restarts a running server so functions load the packages)
     */
    public DependenciesViewModel(UiTasks tasks, Supplier<Optional<Target>> target, Supplier<NpmInstaller> installer, Runnable afterInstall) {
        this.tasks = tasks;
        this.target = target;
        this.installer = installer;
        this.afterInstall = afterInstall;
    }

    /** The target for an app in {@code bundleDir}: packages go where {@code serve} keeps them. */
    public static Target targetFor(Path thimbleHome, Path bundleDir, String clientAppId) {
        return new Target(bundleDir, FunctionModules.cacheFor(thimbleHome, clientAppId));
    }

    /** Reads the open app's dependencies again (call when an app opens or closes, and after an install). */
    public CompletableFuture<FunctionDependencies.Listing> refresh() {
        error.set("");
        return reload();
    }

    /** Reads the list again, keeping the error shown (after a failed install the list is still worth seeing). */
    private CompletableFuture<FunctionDependencies.Listing> reload() {
        Optional<Target> open = target.get();
        if (open.isEmpty()) {
            dependencies.clear();
            installable.set(false);
            summary.set("No app is open.");
            return CompletableFuture.completedFuture(null);
        }
        return tasks.run(() -> FunctionDependencies.list(open.get().bundleDir(), open.get().cacheDir()), this::show,
                failure -> {
                    dependencies.clear();
                    installable.set(false);
                    summary.set("");
                    error.set("The dependencies could not be read: " + UiTasks.describe(failure));
                });
    }

    private void show(FunctionDependencies.Listing listing) {
        dependencies.setAll(listing.dependencies());
        installable.set(listing.installable());
        if (listing.dependencies().isEmpty()) {
            summary.set("The functions use no npm packages (no functions/package.json dependencies, node_modules or archive).");
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append(listing.count(FunctionDependencies.Status.INSTALLED)).append(" installed, ")
                .append(listing.count(FunctionDependencies.Status.MISSING)).append(" missing, ")
                .append(listing.count(FunctionDependencies.Status.NOT_SERVED)).append(" not served");
        if (listing.origin() != null) {
            text.append(" \u2014 from ").append(listing.origin());
        }
        listing.warnings().forEach(w -> text.append(". ").append(w));
        summary.set(text.toString());
    }

    /** Installs (or unpacks) the open app's packages off the UI thread, then lists them again. */
    public CompletableFuture<FunctionModules.Prepared> install() {
        Optional<Target> open = target.get();
        if (open.isEmpty() || installing.get()) {
            return CompletableFuture.completedFuture(null);
        }
        installing.set(true);
        error.set("");
        progressLines.clear();
        progress.set(-1);
        Target t = open.get();
        return tasks.run(() -> FunctionModules.prepare(t.bundleDir(), t.cacheDir(), installer.get(), line -> tasks.onUi(() -> progressed(line))),
                prepared -> {
                    installing.set(false);
                    progress.set(1);
                    progressLines.add(prepared.root() == null ? "nothing to install" : "done: packages ready from " + prepared.origin());
                    prepared.warnings().forEach(progressLines::add);
                    refresh();
                    afterInstall.run();
                },
                failure -> {
                    installing.set(false);
                    progress.set(0);
                    error.set("The install failed: " + UiTasks.describe(failure));
                    progressLines.add("failed: " + UiTasks.describe(failure));
                    reload();
                });
    }

    private void progressed(String line) {
        progressLines.add(line);
        Matcher m = COUNT.matcher(line);
        if (m.find()) {
            int done = Integer.parseInt(m.group(1));
            int total = Integer.parseInt(m.group(2));
            // a package counts once it is fetched: "(k/n)" is announced before the k-th fetch
            progress.set(total == 0 ? -1 : (done - 1) / (double) total);
        }
    }

    public ObservableList<FunctionDependencies.Dependency> dependencies() {
        return dependencies;
    }

    /** What the installer said during the last install, in order. */
    public ObservableList<String> progressLines() {
        return progressLines;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The last failure (listing or install), empty when none: shown in the panel, not only logged. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty installingProperty() {
        return installing.getReadOnlyProperty();
    }

    /** Whether there is something to install or unpack. */
    public ReadOnlyBooleanProperty installableProperty() {
        return installable.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
