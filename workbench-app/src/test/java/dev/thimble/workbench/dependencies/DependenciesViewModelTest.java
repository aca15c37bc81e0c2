package dev.thimble.workbench.dependencies;

import dev.thimble.runtime.npm.FunctionDependencies;
import dev.thimble.runtime.npm.NpmInstaller;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.npm.LoopbackNpmRegistry;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The Dependencies panel's state without a window, installing from a loopback npm registry. */
class DependenciesViewModelTest {
    private final FakeUiThread ui = new FakeUiThread();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final LoopbackNpmRegistry registry = new LoopbackNpmRegistry();
    private final AtomicReference<DependenciesViewModel.Target> open = new AtomicReference<>();
    private final AtomicInteger installs = new AtomicInteger();
    private final DependenciesViewModel model = ui.call(() -> new DependenciesViewModel(new UiTasks(background, ui),
            () -> Optional.ofNullable(open.get()), () -> new NpmInstaller(URI.create(registry.url()), Duration.ofSeconds(10)), installs::incrementAndGet));

    @TempDir
    Path temp;

    DependenciesViewModelTest() throws IOException {
    }

    @AfterEach
    void close() {
        registry.close();
        background.shutdownNow();
        ui.close();
    }

    @Test
    void listsTheAppsPackagesInstallsThemWithProgressAndListsThemAgain() throws Exception {
        byte[] pad = LoopbackNpmRegistry.tarball("left-pad", "1.3.0", "module.exports = 1;");
        registry.publish("left-pad", "1.3.0", pad);
        LoopbackNpmRegistry.pin(temp.resolve("app"), "left-pad", "1.3.0", pad, "app");
        open.set(new DependenciesViewModel.Target(temp.resolve("app"), temp.resolve("cache")));

        ui.call(model::refresh).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> List.copyOf(model.dependencies()))).extracting(FunctionDependencies.Dependency::name,
                FunctionDependencies.Dependency::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("left-pad", FunctionDependencies.Status.MISSING),
                org.assertj.core.groups.Tuple.tuple("jest", FunctionDependencies.Status.NOT_SERVED));
        assertThat(ui.call(() -> model.installableProperty().get())).isTrue();
        assertThat(ui.call(() -> model.summaryProperty().get())).isEqualTo("0 installed, 1 missing, 1 not served \u2014 from functions/package-lock.json");

        ui.call(model::install).get(10, TimeUnit.SECONDS);
        Eventually.await("the list read again after the install", () -> ui.call(() -> model.dependencies().getFirst().status())
                == FunctionDependencies.Status.INSTALLED);
        assertThat(ui.call(() -> model.dependencies().getFirst().installed())).isEqualTo("1.3.0");
        assertThat(ui.call(() -> List.copyOf(model.progressLines()))).containsSubsequence(
                "installing 1 npm packages from functions/package-lock.json", "installing left-pad@1.3.0 (1/1)");
        assertThat(ui.call(() -> model.progressProperty().get())).isEqualTo(1.0);
        assertThat(ui.call(() -> model.installingProperty().get())).isFalse();
        assertThat(ui.call(() -> model.installableProperty().get())).as("nothing left to install").isFalse();
        assertThat(ui.call(() -> model.errorProperty().get())).isEmpty();
        assertThat(installs).as("a running server is told to load them").hasValue(1);
    }

    @Test
    void aFailedInstallIsShownInThePanelAndChangesNothing() throws Exception {
        byte[] pad = LoopbackNpmRegistry.tarball("left-pad", "1.3.0", "module.exports = 1;");
        LoopbackNpmRegistry.pin(temp.resolve("app"), "left-pad", "1.3.0", pad, "app"); // pinned, never published
        open.set(new DependenciesViewModel.Target(temp.resolve("app"), temp.resolve("cache")));
        ui.call(model::refresh).get(10, TimeUnit.SECONDS);

        ui.call(model::install).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
        Eventually.await("the list read again", () -> registry.requested().size() == 1 && ui.call(() -> model.dependencies().size()) == 2);
        assertThat(ui.call(() -> model.errorProperty().get())).startsWith("The install failed: fetching left-pad@1.3.0 from " + registry.url())
                .endsWith("answered HTTP 404");
        assertThat(ui.call(() -> model.dependencies().getFirst().status())).isEqualTo(FunctionDependencies.Status.MISSING);
        assertThat(ui.call(() -> model.installableProperty().get())).as("Install can be tried again").isTrue();
        assertThat(ui.call(() -> model.installingProperty().get())).isFalse();
        assertThat(ui.call(() -> model.progressLines().getLast())).startsWith("failed: fetching left-pad@1.3.0");
        assertThat(installs).hasValue(0);

        registry.publish("left-pad", "1.3.0", pad);
        ui.call(model::install).get(10, TimeUnit.SECONDS);
        Eventually.await("installed on the second try", () -> ui.call(() -> model.dependencies().getFirst().status())
                == FunctionDependencies.Status.INSTALLED);
        assertThat(ui.call(() -> model.errorProperty().get())).as("the old error goes with a new install").isEmpty();
    }

    @Test
    void withNoAppOpenThePanelSaysSoAndInstallsNothing() throws Exception {
        ui.call(model::refresh).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> model.summaryProperty().get())).isEqualTo("No app is open.");
        assertThat(ui.call(model::install).get(10, TimeUnit.SECONDS)).isNull();
        assertThat(registry.requested()).isEmpty();
    }
}
