package dev.thimble.runtime.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admins of a server home and their credentials, in {@code <home>/.thimble/admin/identities.json}
 * (never in an app bundle): email/password admins, admin API keys and public/private key pairs (the
 * {@code mongodb-cloud} login). Passwords are stored as bcrypt hashes, keys as SHA-256 hashes (they
 * are long random strings); a key's secret is returned once, when it is made. The file is read on
 * every lookup, so {@code thimble admin …} changes made while the server runs count at once.
 * Thread-safe within a process.
 */
public final class AdminIdentities {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final int BCRYPT_COST = 10;

    private final Path file;

    /** An admin: {@code kind} is how it logs in (local-userpass, api-key or mongodb-cloud); {@code name} its email or key name. */
    public record Admin(String id, String kind, String name, Instant created) {
    }

    /** A key just made: {@code secret} is shown this once and stored only hashed. */
    public record CreatedKey(Admin key, String publicKey, String secret) {
    }

    public AdminIdentities(Path stateFolder) {
        this.file = stateFolder.resolve("admin").resolve("identities.json");
    }

    /** The identities file of a server home ({@code home/.thimble}). */
    public static AdminIdentities ofHome(Path home) {
        return new AdminIdentities(home.resolve(".thimble"));
    }

    /** The home's one group (Atlas project): made on first use and kept. */
    public synchronized String groupId() {
        ObjectNode root = read();
        if (!root.hasNonNull("group_id")) {
            root.put("group_id", new ObjectId().toHexString());
            write(root);
        }
        return root.get("group_id").asText();
    }

    // ---- email/password admins -----------------------------------------------------------------

    /**
     * Adds an email/password admin.
     *
     * @throws IllegalArgumentException for a malformed email, a taken one, or a password shorter than 8 characters
     */
    public synchronized Admin createUser(String email, String password) {
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("\"" + email + "\" is not an email address; no admin was created.");
        }
        if (password == null || password.length() < 8 || password.length() > 128) {
            throw new IllegalArgumentException("An admin password has 8 to 128 characters; no admin was created.");
        }
        ObjectNode root = read();
        String normalized = email.toLowerCase(Locale.ROOT);
        for (JsonNode u : array(root, "users")) {
            if (u.path("email").asText().equals(normalized)) {
                throw new IllegalArgumentException("There is an admin with the email " + email + " already; no admin was created.");
            }
        }
        ObjectNode user = array(root, "users").addObject();
        Admin admin = new Admin(new ObjectId().toHexString(), "local-userpass", normalized, Instant.now());
        user.put("id", admin.id()).put("email", normalized).put("created", admin.created().toString())
                .put("password_hash", BCrypt.withDefaults().hashToString(BCRYPT_COST, prehash(password)));
        write(root);
        return admin;
    }

    /** The email/password admin with these credentials; empty when there is none or the password is wrong. */
    public Optional<Admin> checkPassword(String email, String password) {
        if (email == null || password == null) {
            return Optional.empty();
        }
        String normalized = email.toLowerCase(Locale.ROOT);
        for (JsonNode u : array(read(), "users")) {
            if (u.path("email").asText().equals(normalized)) {
                boolean ok = BCrypt.verifyer().verify(prehash(password), u.path("password_hash").asText().toCharArray()).verified;
                return ok ? Optional.of(userOf(u)) : Optional.empty();
            }
        }
        BCrypt.withDefaults().hashToString(BCRYPT_COST, prehash(password)); // as slow as a wrong password: no account probing by time
        return Optional.empty();
    }

    public List<Admin> users() {
        List<Admin> out = new ArrayList<>();
        array(read(), "users").forEach(u -> out.add(userOf(u)));
        return out;
    }

    /** Removes an admin of any kind by id, or an email/password admin by email; false when none matched. */
    public synchronized boolean delete(String idOrEmail) {
        ObjectNode root = read();
        boolean removed = false;
        for (String kind : List.of("users", "api_keys", "cloud_keys")) {
            ArrayNode list = array(root, kind);
            for (int i = list.size() - 1; i >= 0; i--) {
                JsonNode entry = list.get(i);
                if (entry.path("id").asText().equals(idOrEmail) || entry.path("email").asText().equalsIgnoreCase(idOrEmail)
                        || entry.path("public_key").asText().equals(idOrEmail)) {
                    list.remove(i);
                    removed = true;
                }
            }
        }
        if (removed) {
            write(root);
        }
        return removed;
    }

    // ---- admin API keys (api-key login) --------------------------------------------------------

    /** Makes an admin API key named {@code name}; its secret is in the result, once. */
    public synchronized CreatedKey createApiKey(String name) {
        requireKeyName(name);
        ObjectNode root = read();
        String secret = randomHex(32);
        Admin admin = new Admin(new ObjectId().toHexString(), "api-key", name, Instant.now());
        array(root, "api_keys").addObject().put("id", admin.id()).put("name", name).put("created", admin.created().toString())
                .put("key_hash", sha256(secret));
        write(root);
        return new CreatedKey(admin, null, secret);
    }

    public Optional<Admin> checkApiKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        String hash = sha256(key);
        for (JsonNode k : array(read(), "api_keys")) {
            if (MessageDigest.isEqual(k.path("key_hash").asText().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(keyOf(k, "api-key"));
            }
        }
        return Optional.empty();
    }

    public List<Admin> apiKeys() {
        List<Admin> out = new ArrayList<>();
        array(read(), "api_keys").forEach(k -> out.add(keyOf(k, "api-key")));
        cloudKeys().forEach(out::add);
        return out;
    }

    // ---- public/private key pairs (mongodb-cloud login) ----------------------------------------

    /** Makes a public/private key pair for the {@code mongodb-cloud} login; the private key is in the result, once. */
    public synchronized CreatedKey createCloudKey(String name) {
        requireKeyName(name);
        ObjectNode root = read();
        String publicKey = randomLetters(8);
        String privateKey = java.util.UUID.randomUUID().toString();
        Admin admin = new Admin(new ObjectId().toHexString(), "mongodb-cloud", name, Instant.now());
        array(root, "cloud_keys").addObject().put("id", admin.id()).put("name", name).put("public_key", publicKey)
                .put("created", admin.created().toString()).put("private_hash", sha256(privateKey));
        write(root);
        return new CreatedKey(admin, publicKey, privateKey);
    }

    public Optional<Admin> checkCloudKey(String publicKey, String privateKey) {
        if (publicKey == null || privateKey == null) {
            return Optional.empty();
        }
        for (JsonNode k : array(read(), "cloud_keys")) {
            if (k.path("public_key").asText().equals(publicKey)) {
                boolean ok = MessageDigest.isEqual(k.path("private_hash").asText().getBytes(StandardCharsets.US_ASCII),
                        sha256(privateKey).getBytes(StandardCharsets.US_ASCII));
                return ok ? Optional.of(keyOf(k, "mongodb-cloud")) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private List<Admin> cloudKeys() {
        List<Admin> out = new ArrayList<>();
        array(read(), "cloud_keys").forEach(k -> out.add(keyOf(k, "mongodb-cloud")));
        return out;
    }

    /** The public key of a {@code mongodb-cloud} admin (lists show it; it is not a secret). */
    public Optional<String> publicKeyOf(String adminId) {
        for (JsonNode k : array(read(), "cloud_keys")) {
            if (k.path("id").asText().equals(adminId)) {
                return Optional.of(k.path("public_key").asText());
            }
        }
        return Optional.empty();
    }

    /** The admin with this id, of any kind; empty once deleted (its tokens then stop working). */
    public Optional<Admin> find(String id) {
        ObjectNode root = read();
        for (JsonNode u : array(root, "users")) {
            if (u.path("id").asText().equals(id)) {
                return Optional.of(userOf(u));
            }
        }
        for (JsonNode k : array(root, "api_keys")) {
            if (k.path("id").asText().equals(id)) {
                return Optional.of(keyOf(k, "api-key"));
            }
        }
        for (JsonNode k : array(root, "cloud_keys")) {
            if (k.path("id").asText().equals(id)) {
                return Optional.of(keyOf(k, "mongodb-cloud"));
            }
        }
        return Optional.empty();
    }

    /** Whether any admin exists (the server says how to make the first one when not). */
    public boolean isEmpty() {
        ObjectNode root = read();
        return array(root, "users").isEmpty() && array(root, "api_keys").isEmpty() && array(root, "cloud_keys").isEmpty();
    }

    // ---- storage -------------------------------------------------------------------------------

    private static Admin userOf(JsonNode u) {
        return new Admin(u.path("id").asText(), "local-userpass", u.path("email").asText(), created(u));
    }

    private static Admin keyOf(JsonNode k, String kind) {
        return new Admin(k.path("id").asText(), kind, k.path("name").asText(), created(k));
    }

    private static Instant created(JsonNode n) {
        try {
            return Instant.parse(n.path("created").asText());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static void requireKeyName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("A key name needs 1 to 100 characters; no key was created.");
        }
    }

    private static ArrayNode array(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node instanceof ArrayNode a) {
            return a;
        }
        return root.putArray(field);
    }

    private synchronized ObjectNode read() {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return node instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the admin identities in " + file + ": " + e.getMessage(), e);
        }
    }

    private synchronized void write(ObjectNode root) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "identities", ".tmp");
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            restrictToOwner(temp);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the admin identities to " + file + ": " + e.getMessage(), e);
        }
    }

    static void restrictToOwner(Path path) {
        try {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
    }

    /** bcrypt reads 72 bytes at most: a password is hashed with SHA-256 first (as the apps' email/password accounts are). */
    private static char[] prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest).toCharArray();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String randomLetters(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return out.toString();
    }
}
