package dev.thimble.runtime.npm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Installs the packages a lock file pins into a folder's {@code node_modules}, the way {@code npm ci
 * --ignore-scripts} would but in Java: each tarball is fetched over HTTPS from the URL the lock file
 * records (or the same path on a configured registry), checked against the lock file's
 * {@code integrity} before anything is unpacked, and unpacked without running any script.
 */
public final class NpmInstaller {
    /** The most one tarball may weigh. */
    static final long MAX_TARBALL_BYTES = 64L * 1024 * 1024;
    private static final String DEFAULT_REGISTRY = "https://registry.npmjs.org/";

    private final HttpClient http;
    private final URI registry;
    private final Duration timeout;

    /**
     * @param registry where tarballs are fetched: the lock file's {@code resolved} URLs of the public
     *                 registry are re-pointed here (e.g. a mirror, or a loopback registry in tests)
     */
    public NpmInstaller(URI registry, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.registry = registry.toString().endsWith("/") ? registry : URI.create(registry + "/");
        this.timeout = timeout;
    }

    /** The public registry, or {@code $THIMBLE_NPM_REGISTRY} / {@code -Dthimble.npm.registry} when set. */
    public static NpmInstaller standard() {
        String configured = System.getProperty("thimble.npm.registry", System.getenv("THIMBLE_NPM_REGISTRY"));
        return new NpmInstaller(URI.create(configured == null || configured.isBlank() ? DEFAULT_REGISTRY : configured), Duration.ofSeconds(30));
    }

    /** Installs every package of {@code lock} under {@code target} (which gets {@code node_modules/...}). */
    void install(NpmLockfile lock, Path target, Consumer<String> progress) throws IOException {
        List<NpmLockfile.Entry> entries = lock.entries();
        int done = 0;
        for (NpmLockfile.Entry entry : entries) {
            done++;
            if ((entry.resolved() == null || entry.resolved().isBlank()) && entry.version().isBlank()) {
                if (entry.optional()) {
                    continue;
                }
                throw new IOException(entry.location() + " has neither a tarball URL (resolved) nor a version in the lock file; re-create it with npm install");
            }
            if (entry.integrity() == null || entry.integrity().isBlank()) {
                throw new IOException(entry.location() + " has no integrity in the lock file; Thimble installs only packages it can check");
            }
            progress.accept("installing " + entry.name() + "@" + entry.version() + " (" + done + "/" + entries.size() + ")");
            byte[] tarball;
            try {
                tarball = fetch(entry);
            } catch (IOException e) {
                if (entry.optional()) {
                    progress.accept("skipped optional " + entry.name() + ": " + e.getMessage());
                    continue;
                }
                throw e;
            }
            verify(entry, tarball);
            Path into = target.resolve(entry.location()).normalize();
            if (!into.startsWith(target)) {
                throw new IOException("lock file location " + entry.location() + " leads outside the install folder");
            }
            Files.createDirectories(into);
            Archives.untarGz(new java.io.ByteArrayInputStream(tarball), into, NpmInstaller::stripPackageFolder);
        }
    }

    /** npm tarballs hold one top folder (usually {@code package/}); its contents are the package. */
    private static String stripPackageFolder(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? null : path.substring(slash + 1);
    }

    private byte[] fetch(NpmLockfile.Entry entry) throws IOException {
        URI uri = entry.resolved() == null || entry.resolved().isBlank() ? registryTarball(entry) : tarballUri(entry.resolved());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/octet-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("fetching " + entry.name() + "@" + entry.version() + " from " + uri + " answered HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes((int) MAX_TARBALL_BYTES + 1);
            if (bytes.length > MAX_TARBALL_BYTES) {
                throw new IOException(entry.name() + "@" + entry.version() + " is larger than " + MAX_TARBALL_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** The registry's tarball URL for a lock entry without {@code resolved} (npm may leave it out): {@code <name>/-/<base>-<version>.tgz}. */
    URI registryTarball(NpmLockfile.Entry entry) {
        String name = entry.name();
        String base = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
        return registry.resolve(name + "/-/" + base + "-" + entry.version() + ".tgz");
    }

    URI tarballUri(String resolved) {
        URI uri = URI.create(resolved);
        if (!uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
            throw new IllegalArgumentException("not an HTTP tarball URL: " + resolved);
        }
        if (uri.getHost() != null && uri.getHost().equals("registry.npmjs.org") && !registry.toString().equals(DEFAULT_REGISTRY)) {
            String path = uri.getRawPath().startsWith("/") ? uri.getRawPath().substring(1) : uri.getRawPath();
            return registry.resolve(path);
        }
        return uri;
    }

    /** The version the registry tags {@code latest} for {@code name} (its abbreviated metadata), e.g. to pin a proposal. */
    public String latestVersion(String name) throws IOException {
        URI uri = registry.resolve(name.startsWith("@") ? "@" + java.net.URLEncoder.encode(name.substring(1), java.nio.charset.StandardCharsets.UTF_8) : name);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/vnd.npm.install-v1+json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                throw new IOException("the npm registry has no package named " + name);
            }
            if (response.statusCode() != 200) {
                throw new IOException("the npm registry answered HTTP " + response.statusCode() + " for " + name);
            }
            String latest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("dist-tags").path("latest").asText("");
            if (latest.isEmpty()) {
                throw new IOException("the npm registry names no latest version of " + name);
            }
            return latest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the registry about " + name);
        }
    }

    /** Checks {@code bytes} against the strongest hash of the lock file's SRI {@code integrity}. */
    static void verify(NpmLockfile.Entry entry, byte[] bytes) throws IOException {
        String best = null;
        int bestRank = -1;
        for (String part : entry.integrity().trim().split("\\s+")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                continue;
            }
            int rank = List.of("sha1", "sha256", "sha384", "sha512").indexOf(part.substring(0, dash).toLowerCase(Locale.ROOT));
            if (rank > bestRank) {
                bestRank = rank;
                best = part;
            }
        }
        if (best == null) {
            throw new IOException(entry.location() + ": integrity '" + entry.integrity() + "' names no hash Thimble knows (sha512, sha384, sha256, sha1)");
        }
        String algorithm = best.substring(0, best.indexOf('-')).toUpperCase(Locale.ROOT).replace("SHA", "SHA-");
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(bytes);
            byte[] expected = Base64.getDecoder().decode(best.substring(best.indexOf('-') + 1));
            if (!MessageDigest.isEqual(digest, expected)) {
                throw new IOException(entry.name() + "@" + entry.version() + ": the tarball does not match the lock file's integrity ("
                        + best.substring(0, best.indexOf('-')) + "); nothing was installed");
            }
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            throw new IOException(entry.location() + ": cannot check integrity " + best + ": " + e.getMessage());
        }
    }
}
