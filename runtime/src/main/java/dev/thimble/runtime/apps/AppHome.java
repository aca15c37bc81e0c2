package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.ServerOfApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.BundleValidator;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.FileTrees;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server home ({@code thimble server --home DIR}): every folder in it is an app bundle, and each
 * valid one is served on the one port, with the one database, by client app id. The home's own state
 * lives in {@code DIR/.thimble}: the embedded database ({@code data/}) and each app's secret store
 * ({@code apps/<client app id>/secrets.json}, the layout {@code THIMBLE_HOME} has).
 *
 * <p>The home is rescanned every {@link Settings#scanInterval()}: a new folder starts serving, a
 * changed one is reloaded, a removed one stops; the other apps are not disturbed. A folder whose
 * bundle has errors (or whose client app id another folder serves) is reported (logged, and listed
 * by {@link #broken()}) and stays out; an app already serving keeps its last good version until its
 * bundle is fixed.
 */
public final class AppHome implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppHome.class);
    /** The home's own folder: never an app. */
    public static final String STATE_FOLDER = ".thimble";

    private final Path home;
    private final Path state;
    private final Settings settings;
    private final ServerOfApps server;
    private final Map<String, Hosted> hosted = new TreeMap<>();
    private final Map<String, Broken> broken = new TreeMap<>();
    /** Each folder's fingerprint when last scanned, served or not. */
    private final Map<String, String> seen = new TreeMap<>();
    private final ScheduledExecutorService scanner;

    /**
     * How to serve a home.
     *
     * @param mongoUri     a MongoDB to use instead of the embedded database in the home, or null
     * @param publicUrl    the origin clients reach the server at behind a proxy, or null
     * @param scanInterval how often the home is rescanned for added, changed and removed apps
     */
    public record Settings(String host, int port, String mongoUri, String publicUrl, Duration scanInterval) {
        public static Settings defaults() {
            return new Settings("127.0.0.1", 8080, null, null, Duration.ofSeconds(2));
        }

        public Settings withPort(int newPort) {
            return new Settings(host, newPort, mongoUri, publicUrl, scanInterval);
        }

        public Settings withHost(String newHost) {
            return new Settings(newHost, port, mongoUri, publicUrl, scanInterval);
        }

        public Settings withMongoUri(String uri) {
            return new Settings(host, port, uri, publicUrl, scanInterval);
        }

        public Settings withPublicUrl(String url) {
            return new Settings(host, port, mongoUri, url, scanInterval);
        }

        public Settings withScanInterval(Duration interval) {
            return new Settings(host, port, mongoUri, publicUrl, interval);
        }
    }

    /** An app being served: its folder, names and client API URL. */
    public record Served(String folder, String name, String clientAppId, String clientApiUrl) {
    }

    /** A folder that is not served, and why (every error, one per line). */
    public record Broken(String folder, String reason) {
    }

    /** A served app; its editor is made on first use and made again after the folder changed on disk. */
    private static final class Hosted {
        private final Path directory;
        private final AppHost host;
        private AppEditor editor;

        Hosted(Path directory, AppHost host) {
            this.directory = directory;
            this.host = host;
        }

        Path directory() {
            return directory;
        }

        AppHost host() {
            return host;
        }
    }

    private AppHome(Path home, Settings settings, ServerOfApps server) {
        this.home = home;
        this.state = home.resolve(STATE_FOLDER);
        this.settings = settings;
        this.server = server;
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thimble-home-scan");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the database, listens, serves every valid app in {@code home} and keeps watching it.
     *
     * @throws IllegalArgumentException when {@code home} is not a folder
     */
    public static AppHome start(Path home, Settings settings) {
        Path dir = home.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The server home " + dir + " is not a folder; create it and put app bundles in it.");
        }
        DatabaseSettings database = settings.mongoUri() != null
                ? DatabaseSettings.external(settings.mongoUri())
                : DatabaseSettings.embedded(dir.resolve(STATE_FOLDER).resolve("data"));
        ServerOfApps server = ServerOfApps.startHeld(settings.host(), settings.port(), database);
        AppHome appHome = new AppHome(dir, settings, server);
        try {
            appHome.scan();
        } finally {
            server.started();
        }
        long every = Math.max(50, settings.scanInterval().toMillis());
        appHome.scanner.scheduleWithFixedDelay(appHome::scanLogged, every, every, TimeUnit.MILLISECONDS);
        return appHome;
    }

    public Path home() {
        return home;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** The home's own state folder ({@code DIR/.thimble}): its database, secrets and admin identities. */
    public Path stateFolder() {
        return state;
    }

    /** Serves the admin API on the home's port, beside the apps' client API. */
    public void mountAdmin(io.undertow.server.HttpHandler routes) {
        server.mountAdmin(routes);
    }

    /** Where the embedded database or the external one is, as the log says it. */
    public String databaseDescription() {
        return server.database().describe();
    }

    public synchronized List<Served> served() {
        List<Served> out = new ArrayList<>();
        hosted.forEach((folder, h) -> out.add(new Served(folder, h.host().app().name(), h.host().app().clientAppId(),
                h.host().clientApiUrl())));
        return out;
    }

    public synchronized List<Broken> broken() {
        return List.copyOf(broken.values());
    }

    /** The host serving the app with {@code clientAppId}, if any. */
    public synchronized Optional<AppHost> host(String clientAppId) {
        return hosted.values().stream().map(Hosted::host).filter(h -> h.app().clientAppId().equals(clientAppId)).findFirst();
    }

    /**
     * The service layer on a served app (what the admin API calls): edits are written to its folder
     * and reloaded into the serving host at once.
     */
    public synchronized Optional<AppEditor> editor(String clientAppId) {
        return hosted.values().stream().filter(h -> h.host().app().clientAppId().equals(clientAppId)).findFirst()
                .map(h -> {
                    if (h.editor == null) {
                        h.editor = new AppEditor(Workspace.open(h.directory(), secretsOf(clientAppId)), homeAccess(clientAppId));
                    }
                    return h.editor;
                });
    }

    private HostAccess homeAccess(String clientAppId) {
        return new HostAccess() {
            @Override
            public Optional<AppHost> running() {
                return host(clientAppId);
            }

            @Override
            public void reload(AppModel model) {
                running().ifPresent(h -> h.reload(model));
            }
        };
    }

    /** The secret store of an app of this home. */
    public SecretStore secretsOf(String clientAppId) {
        return new SecretStore(state.resolve("apps").resolve(clientAppId).resolve("secrets.json"));
    }

    /**
     * Writes a new, empty app (a fresh client app id) into the folder {@code folder} of the home and
     * serves it at once.
     *
     * @throws IllegalArgumentException when the folder exists and is not empty, or is not a plain name
     */
    public synchronized Served create(String folder) throws IOException {
        Path target = folderOf(folder);
        AppCreation.blank(target);
        return serveNow(folder, target);
    }

    /** Imports an exported app (folder or zip, any supported layout) into the folder {@code folder} and serves it. */
    public synchronized Served importApp(Path source, String folder) throws IOException {
        Path target = folderOf(folder);
        AppCreation.importApp(source, target, this::secretsOf);
        return serveNow(folder, target);
    }

    /**
     * Stops the app and deletes it: its folder, its secrets and its state database (users, sessions,
     * keys, logs). The databases its rules name are left alone: other apps may use them.
     *
     * @return false when no app of the home has that client app id
     */
    public synchronized boolean delete(String clientAppId) throws IOException {
        Optional<Map.Entry<String, Hosted>> entry = hosted.entrySet().stream()
                .filter(e -> e.getValue().host().app().clientAppId().equals(clientAppId)).findFirst();
        if (entry.isEmpty()) {
            return false;
        }
        String folder = entry.get().getKey();
        Hosted h = hosted.remove(folder);
        seen.remove(folder);
        h.host().close();
        server.database().database(AppHost.stateDatabaseName(clientAppId)).drop();
        FileTrees.delete(state.resolve("apps").resolve(clientAppId));
        FileTrees.delete(h.directory());
        LOG.info("App {} ({}) deleted with its folder {}", h.host().app().name(), clientAppId, folder);
        return true;
    }

    private Path folderOf(String folder) {
        if (folder == null || !folder.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("An app's folder is named with letters, digits, '.', '_' and '-', not \"" + folder + "\".");
        }
        return home.resolve(folder);
    }

    private Served serveNow(String folder, Path target) {
        seen.put(folder, fingerprint(target));
        load(folder, target);
        Broken why = broken.get(folder);
        if (why != null) {
            throw new IllegalArgumentException("The app in " + folder + " was written but is not served: " + why.reason());
        }
        return served().stream().filter(s -> s.folder().equals(folder)).findFirst().orElseThrow();
    }

    private void scanLogged() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Scanning the server home {} failed; trying again shortly", home, e);
        }
    }

    /** Brings the served apps in line with the folders on disk now (the scanner calls this; tests may too). */
    public synchronized void scan() {
        Set<String> present = new HashSet<>();
        for (Path folder : folders()) {
            String name = folder.getFileName().toString();
            present.add(name);
            String fingerprint = fingerprint(folder);
            if (fingerprint.equals(seen.get(name))) {
                continue;
            }
            seen.put(name, fingerprint);
            load(name, folder);
        }
        for (String gone : new ArrayList<>(seen.keySet())) {
            if (!present.contains(gone)) {
                seen.remove(gone);
                broken.remove(gone);
                Hosted h = hosted.remove(gone);
                if (h != null) {
                    LOG.info("App {} ({}) stopped: its folder {} is gone", h.host().app().name(), h.host().app().clientAppId(), gone);
                    h.host().close();
                }
            }
        }
    }

    private void load(String name, Path folder) {
        LoadResult loaded = AppBundles.read(folder);
        // a new app answers its location route (and 503 elsewhere) while it is validated and assembled
        String startingId = loaded.app() != null && hosted.get(name) == null && ClientAppIds.usable(loaded.app().clientAppId())
                && hosted.values().stream().noneMatch(h -> h.host().app().clientAppId().equals(loaded.app().clientAppId()))
                ? loaded.app().clientAppId() : null;
        if (startingId != null) {
            try {
                server.starting(loaded.app(), settings.publicUrl());
            } catch (IllegalArgumentException e) {
                startingId = null; // a bad public URL: the mount below reports it
            }
        }
        try {
            loadRead(name, folder, loaded);
        } finally {
            if (startingId != null) {
                server.notStarting(startingId);
            }
        }
    }

    private void loadRead(String name, Path folder, LoadResult loaded) {
        String reason = problems(loaded);
        Hosted current = hosted.get(name);
        if (reason == null) {
            String id = loaded.app().clientAppId();
            Optional<String> other = hosted.entrySet().stream()
                    .filter(e -> !e.getKey().equals(name) && e.getValue().host().app().clientAppId().equals(id))
                    .map(Map.Entry::getKey).findFirst();
            if (other.isPresent()) {
                reason = "its client app id " + id + " is served from the folder " + other.get() + " already; give one of them another app_id";
            }
        }
        if (reason != null) {
            broken.put(name, new Broken(name, reason));
            LOG.warn("App folder {} is not served{}: {}", name, current == null ? "" : " in its changed form (the last good version keeps serving)",
                    reason);
            return;
        }
        broken.remove(name);
        AppModel app = loaded.app();
        if (current != null && current.host().app().clientAppId().equals(app.clientAppId())) {
            current.host().reload(app);
            if (current.editor != null && !current.editor.model().equals(app)) {
                current.editor = null; // changed outside the editor: the next edit starts from what is on disk now
            }
            LOG.info("App {} ({}) reloaded from {}", app.name(), app.clientAppId(), name);
            return;
        }
        if (current != null) {
            hosted.remove(name);
            current.host().close();
        }
        try {
            AppHost host = server.mount(app, secretsOf(app.clientAppId()), settings.publicUrl(), functionModules(folder, app));
            hosted.put(name, new Hosted(folder, host));
            LOG.info("App {} ({}) serving from {} at {}", app.name(), app.clientAppId(), name, host.clientApiUrl());
        } catch (RuntimeException e) {
            broken.put(name, new Broken(name, "it did not start: " + e.getMessage()));
            LOG.warn("App folder {} did not start", name, e);
        }
    }

    /** The app's npm packages, prepared into the home's cache; null (and a warning) when it has none or they fail. */
    private Path functionModules(Path folder, AppModel app) {
        try {
            var prepared = dev.thimble.runtime.npm.FunctionModules.prepare(folder,
                    dev.thimble.runtime.npm.FunctionModules.cacheFor(state, app.clientAppId()),
                    dev.thimble.runtime.npm.NpmInstaller.standard(), line -> LOG.info("npm ({}): {}", app.clientAppId(), line));
            prepared.warnings().forEach(w -> LOG.warn("{}: {}", app.clientAppId(), w));
            return prepared.root();
        } catch (IOException | RuntimeException e) {
            LOG.warn("The npm packages of {} could not be prepared; require() of them will fail", app.clientAppId(), e);
            return null;
        }
    }

    /** Every error of a bundle, one per line; null when it has none. */
    private String problems(LoadResult loaded) {
        if (loaded.app() == null) {
            List<String> reasons = loaded.problems().stream().filter(Problem::isError).map(Problem::reason).toList();
            return reasons.isEmpty() ? "it holds no app bundle (no stitch.json)" : String.join(System.lineSeparator(), reasons);
        }
        Set<String> withValues = new HashSet<>(secretsOf(loaded.app().clientAppId()).names());
        withValues.addAll(loaded.extractedSecrets().keySet());
        List<Problem> errors = new BundleValidator().validate(loaded, withValues).stream().filter(Problem::isError).toList();
        return errors.isEmpty() ? null : String.join(System.lineSeparator(), errors.stream().map(Problem::toString).toList());
    }

    private List<Path> folders() {
        try (Stream<Path> entries = Files.list(home)) {
            return entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the server home " + home + ": " + e.getMessage(), e);
        }
    }

    /** Every file's path, size and modification time: a change to any of them is a change of the app. */
    private static String fingerprint(Path folder) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.append(folder.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                        .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            return "unreadable " + System.nanoTime(); // changing as it is written: look again next time
        }
        return out.toString();
    }

    /** Stops watching, stops every app, closes the port and the database. */
    @Override
    public void close() {
        scanner.shutdownNow();
        synchronized (this) {
            try {
                for (Hosted h : hosted.values()) {
                    try {
                        h.host().close();
                    } catch (RuntimeException e) {
                        LOG.warn("Stopping {} failed", h.host().app().clientAppId(), e);
                    }
                }
                hosted.clear();
            } finally {
                server.close();
            }
        }
    }
}
