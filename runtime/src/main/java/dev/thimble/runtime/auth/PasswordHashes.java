package dev.thimble.runtime.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Password hashes of email/password accounts. bcrypt reads at most 72 bytes of a password (and
 * the library refuses more), while passwords of up to 128 characters (up to 512 UTF-8 bytes) are
 * allowed; so a password is first hashed with SHA-256 and the base64 of that digest (44 ASCII
 * bytes, no NUL) goes to bcrypt. Such hashes are stored as {@value #PREHASHED} + the bcrypt
 * string. Hashes stored before (plain bcrypt, {@code $2a$...}) keep verifying the old way.
 */
final class PasswordHashes {
    static final String PREHASHED = "sha256-bcrypt:";
    private static final int BCRYPT_COST = 10;
    private static final int BCRYPT_MAX_BYTES = 72;

    private PasswordHashes() {
    }

    static String hash(String password) {
        return PREHASHED + BCrypt.withDefaults().hashToString(BCRYPT_COST, prehash(password));
    }

    static boolean verify(String password, String stored) {
        if (stored == null) {
            return false;
        }
        if (stored.startsWith(PREHASHED)) {
            return BCrypt.verifyer().verify(prehash(password), stored.substring(PREHASHED.length()).toCharArray()).verified;
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            return false; // a plain bcrypt hash was never made of a longer password
        }
        return BCrypt.verifyer().verify(password.toCharArray(), stored.toCharArray()).verified;
    }

    private static char[] prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest).toCharArray();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
