package dev.thimble.testing.npm;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * The npm registry's tarball protocol on a loopback port ({@code GET /<name>/-/<base>-<version>.tgz}),
 * answering 404 for what was not published: the runtime's installer and the workbench's
 * Dependencies panel run against it as against registry.npmjs.org. Also builds the tarballs
 * ({@code npm pack}'s ustar .tar.gz) and their lock-file integrity.
 */
public final class LoopbackNpmRegistry implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    public LoopbackNpmRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(path);
            byte[] body = tarballs.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The tarball of an unscoped package {@code name@version} holding {@code index.js}; served once {@link #publish}ed. */
    public static byte[] tarball(String name, String version, String indexJs) throws IOException {
        return tarGz(Map.of("package.json", "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\"}",
                "index.js", indexJs), "package/");
    }

    /** Serves {@code tarball} as {@code name@version} (a scoped {@code @scope/name}'s file is named by its base). */
    public void publish(String name, String version, byte[] tarball) {
        String base = name.contains("/") ? name.substring(name.indexOf('/') + 1) : name;
        tarballs.put("/" + name + "/-/" + base + "-" + version + ".tgz", tarball);
    }

    /** Publishes {@code files} (paths inside the package) as {@code name@version}; returns the tarball's lock-file integrity. */
    public String publish(String name, String version, Map<String, String> files) throws IOException {
        byte[] tgz = tarGz(files, "package/");
        publish(name, version, tgz);
        return integrity(tgz);
    }

    /** The paths asked for, in order (fetches and misses). */
    public List<String> requested() {
        return requested;
    }

    /** Writes functions/package.json and a lock file pinning {@code name@version} with {@code tarball}'s integrity. */
    public static void pin(Path bundle, String name, String version, byte[] tarball, String lockName) throws IOException {
        Files.createDirectories(bundle.resolve("functions"));
        Files.writeString(bundle.resolve("functions/package.json"),
                "{\"dependencies\": {\"" + name + "\": \"^" + version + "\"}, \"devDependencies\": {\"jest\": \"^29.0.0\"}}");
        Files.writeString(bundle.resolve("functions/package-lock.json"), "{\"name\": \"" + lockName + "\", \"lockfileVersion\": 3, \"packages\": {"
                + "\"node_modules/" + name + "\": {\"version\": \"" + version + "\", \"integrity\": \"" + integrity(tarball) + "\"},"
                + "\"node_modules/jest\": {\"version\": \"29.7.0\", \"dev\": true}}}");
    }

    /** The lock file's {@code integrity} of {@code bytes}: {@code sha512-<base64>}. */
    public static String integrity(byte[] bytes) {
        try {
            return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ustar .tar.gz of {@code files} (their paths under {@code prefix}, in path order), as npm pack writes them. */
    public static byte[] tarGz(Map<String, String> files, String prefix) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                byte[] header = new byte[512];
                byte[] name = (prefix + file.getKey()).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(name, 0, header, 0, name.length);
                put(header, 100, "0000644");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, String.format("%011o", content.length));
                put(header, 136, "00000000000");
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                for (int i = 148; i < 156; i++) {
                    header[i] = ' ';
                }
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, String.format("%06o", sum));
                gz.write(header);
                gz.write(content);
                gz.write(new byte[(512 - content.length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
