package dev.thimble.runtime.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Client app ids ({@code <name>-<5 lowercase letters>}): deriving one for an app that has none, and its name part. */
final class ClientAppIds {
    private static final Pattern WITH_SUFFIX = Pattern.compile("(.+)-[a-z]{5}");

    private ClientAppIds() {
    }

    /**
     * The id an app without one gets: the name lowercased with every character outside
     * {@code [a-z0-9]} replaced by {@code -}, then five letters taken from a hash of the name, so
     * importing the same app twice gives the same id.
     */
    static String derive(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        byte[] hash = sha256(name);
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            suffix.append((char) ('a' + Math.floorMod(hash[i], 26)));
        }
        return slug + "-" + suffix;
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
