package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Client app ids ({@code <name>-<5 lowercase letters>}): deriving one for an app that has none, and its name part. */
public final class ClientAppIds {
    private static final Pattern WITH_SUFFIX = Pattern.compile("(.+)-[a-z]{5}");
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ClientAppIds() {
    }

    /**
     * The id an app without one gets: the name lowercased with every character outside
     * {@code [a-z0-9]} replaced by {@code -}, then five letters taken from a hash of the name, so
     * importing the same app twice gives the same id.
     */
    static String derive(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-").replaceFirst("^-+", "");
        if (slug.isEmpty()) {
            slug = "app";
        }
        byte[] hash = sha256(name);
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            suffix.append((char) ('a' + Math.floorMod(hash[i], 26)));
        }
        return slug + "-" + suffix;
    }

    /**
     * Whether {@code id} can name the app's folder under the Thimble home (its data and secret
     * store): letters, digits, '.', '_' and '-', starting with a letter or digit.
     */
    public static boolean usable(String id) {
        return id != null && USABLE.matcher(id).matches() && !id.contains("..");
    }

    /**
     * Gives an app whose root config has no client app id (missing or empty, common in real Stitch
     * exports) one derived from its name, else from {@code folderName} (the bundle folder or zip),
     * and says so with a warning. The same name always gives the same id, so importing twice agrees.
     */
    static void deriveWhenMissing(ObjectNode metadata, String file, String folderName, BundleReadContext ctx) {
        // an empty root config is one that could not be read: its error says enough
        if (metadata == null || metadata.isEmpty() || !metadata.path("app_id").asText("").isEmpty()) {
            return;
        }
        String name = metadata.path("name").asText("");
        String from = name.isEmpty() ? folderName : name;
        if (from == null || from.isBlank()) {
            return;
        }
        String id = derive(from);
        metadata.put("app_id", id);
        ctx.warning(file, "app_id", "no client app id; derived '" + id + "' from the app's " + (name.isEmpty() ? "folder " : "")
                + "name (the same name always gives the same id; `thimble import --app-id ID` chooses another)");
    }

    /** The name part of a client app id ({@code todo-abcde} → {@code todo}); an id without the suffix is returned as is. */
    static String namePart(String clientAppId) {
        Matcher m = WITH_SUFFIX.matcher(clientAppId);
        return m.matches() ? m.group(1) : clientAppId;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
