package dev.thimble.workbench.workspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkbenchStateTest {
    @TempDir
    Path home;

    @Test
    void layoutTabsAndRecentAppsSurviveASaveAndLoad() throws Exception {
        Path file = WorkbenchState.file(home);
        Path app = home.resolve("apps/todo");
        WorkbenchState state = WorkbenchState.defaults()
                .withRecent(app)
                .withOpenTabs(app, List.of("functions/addItem/source.js", "values"))
                .withLayout(new WorkbenchState.Window(10.0, 20.0, 1400.0, 900.0, false), "DARK", 0.3, 0.55, "LOGS");
        state.save(file);

        WorkbenchState loaded = WorkbenchState.load(file);
        assertThat(loaded).isEqualTo(state);
        assertThat(loaded.openTabsOf(app)).containsExactly("functions/addItem/source.js", "values");
        assertThat(file).isEqualTo(home.resolve("workbench/state.json"));
    }

    @Test
    void breakpointsAreRememberedPerAppAndAStateFileWithoutThemReadsAsNone() throws Exception {
        Path file = WorkbenchState.file(home);
        Path todo = home.resolve("apps/todo");
        Path clinic = home.resolve("apps/clinic");
        dev.thimble.debugger.Breakpoints breakpoints = new dev.thimble.debugger.Breakpoints();
        breakpoints.set(dev.thimble.debugger.Breakpoints.Line.at("functions/addItem/source.js", 4).withCondition("text === 'x'"));
        breakpoints.toggle("functions/itemsDueSoon/source.js", 3);
        WorkbenchState.defaults().withBreakpoints(todo, breakpoints).save(file);

        WorkbenchState loaded = WorkbenchState.load(file);
        assertThat(loaded.breakpointsOf(todo).lines()).containsExactlyInAnyOrderElementsOf(breakpoints.lines());
        assertThat(loaded.breakpointsOf(clinic).lines()).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("secret");

        Files.writeString(file, "{\"recentApps\": [], \"openTabs\": {}}");
        assertThat(WorkbenchState.load(file).breakpointsOf(todo).lines()).isEmpty();
    }

    @Test
    void recentAppsAreNewestFirstOnceEachAndCapped() {
        WorkbenchState state = WorkbenchState.defaults();
        for (int i = 0; i < 15; i++) {
            state = state.withRecent(home.resolve("app" + i));
        }
        state = state.withRecent(home.resolve("app3"));

        assertThat(state.recentApps()).hasSize(WorkbenchState.MAX_RECENT);
        assertThat(state.recentApps().getFirst()).isEqualTo(home.resolve("app3").toString());
        assertThat(state.recentApps().stream().filter(a -> a.endsWith("app3")).count()).isEqualTo(1);
    }

    @Test
    void aMissingOrBrokenFileIsTheDefaults() throws Exception {
        assertThat(WorkbenchState.load(home.resolve("nothing.json"))).isEqualTo(WorkbenchState.defaults());
        Path broken = home.resolve("broken.json");
        Files.writeString(broken, "{ not json");
        assertThat(WorkbenchState.load(broken)).isEqualTo(WorkbenchState.defaults());
    }
}
