package dev.thimble.workbench.workspace;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workbench remembers for its user between runs ({@code $THIMBLE_HOME/workbench/state.json}):
 * the window's place and size, theme, split positions, the dock tab, the open tabs per app, and the
 * recently opened apps (newest first, at most {@value #MAX_RECENT}). A missing or unreadable file is
 * the defaults (an unreadable one is logged and replaced on the next save). No secrets are kept here.
 *
 * @param openTabs per app directory, the bundle-relative files of its open tabs in tab order
 * @param breakpoints per app directory, its debugger breakpoints (the JSON of {@code Breakpoints.toDocument()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkbenchState(Window window, String theme, double sidesDivider, double mainDivider, String dock,
                             List<String> recentApps, Map<String, List<String>> openTabs,
                             Map<String, String> breakpoints) {
    public static final int MAX_RECENT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchState.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The window's bounds; null fields mean "not remembered". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Window(Double x, Double y, Double width, Double height, boolean maximized) {
    }

    public WorkbenchState {
        recentApps = recentApps == null ? List.of() : List.copyOf(recentApps);
        Map<String, List<String>> tabs = new LinkedHashMap<>();
        if (openTabs != null) {
            openTabs.forEach((app, files) -> tabs.put(app, files == null ? List.of() : List.copyOf(files)));
        }
        openTabs = java.util.Collections.unmodifiableMap(tabs);
        breakpoints = breakpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(breakpoints));
    }

    /** As before breakpoints were remembered. */
    public WorkbenchState(Window window, String theme, double sidesDivider, double mainDivider, String dock,
                          List<String> recentApps, Map<String, List<String>> openTabs) {
        this(window, theme, sidesDivider, mainDivider, dock, recentApps, openTabs, Map.of());
    }

    public static WorkbenchState defaults() {
        return new WorkbenchState(null, null, 0, 0, null, List.of(), Map.of());
    }

    /** The state file under {@code home} ({@code DataDirectories.home()} for the user). */
    public static Path file(Path home) {
        return home.resolve("workbench").resolve("state.json");
    }

    /** Reads {@code file}; the defaults when it is missing or unreadable. */
    public static WorkbenchState load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return defaults();
        }
        try {
            return JSON.readValue(file.toFile(), WorkbenchState.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring the workbench state in {} ({}); it is rewritten when the window closes", file, e.getMessage());
            return defaults();
        }
    }

    /** Writes this state to {@code file} atomically (its folder is created). */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".state-", ".json");
        try {
            JSON.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** This state with {@code app} first among the recent apps (once). */
    public WorkbenchState withRecent(Path app) {
        String key = app.toAbsolutePath().normalize().toString();
        List<String> recent = new ArrayList<>(List.of(key));
        recentApps.stream().filter(a -> !a.equals(key)).limit(MAX_RECENT - 1).forEach(recent::add);
        return new WorkbenchState(window, theme, sidesDivider, mainDivider, dock, recent, openTabs, breakpoints);
    }

    /** This state with {@code files} as the open tabs of {@code app}. */
    public WorkbenchState withOpenTabs(Path app, List<String> files) {
        Map<String, List<String>> tabs = new LinkedHashMap<>(openTabs);
        tabs.put(app.toAbsolutePath().normalize().toString(), files);
        return new WorkbenchState(window, theme, sidesDivider, mainDivider, dock, recentApps, tabs, breakpoints);
    }

    public WorkbenchState withLayout(Window newWindow, String newTheme, double sides, double main, String newDock) {
        return new WorkbenchState(newWindow, newTheme, sides, main, newDock, recentApps, openTabs, breakpoints);
    }

    /** The open tabs remembered for {@code app}, or none. */
    public List<String> openTabsOf(Path app) {
        return openTabs.getOrDefault(app.toAbsolutePath().normalize().toString(), List.of());
    }

    /** This state with {@code app}'s breakpoints. */
    public WorkbenchState withBreakpoints(Path app, dev.thimble.debugger.Breakpoints value) {
        Map<String, String> all = new LinkedHashMap<>(breakpoints);
        all.put(app.toAbsolutePath().normalize().toString(), value.toDocument().toJson());
        return new WorkbenchState(window, theme, sidesDivider, mainDivider, dock, recentApps, openTabs, all);
    }

    /** The breakpoints remembered for {@code app}; none when there are none or they do not read (logged). */
    public dev.thimble.debugger.Breakpoints breakpointsOf(Path app) {
        String json = breakpoints.get(app.toAbsolutePath().normalize().toString());
        if (json == null) {
            return new dev.thimble.debugger.Breakpoints();
        }
        try {
            return dev.thimble.debugger.Breakpoints.fromDocument(org.bson.BsonDocument.parse(json));
        } catch (RuntimeException e) {
            LOG.warn("Ignoring the remembered breakpoints of {}: {}", app, e.getMessage());
            return new dev.thimble.debugger.Breakpoints();
        }
    }
}
