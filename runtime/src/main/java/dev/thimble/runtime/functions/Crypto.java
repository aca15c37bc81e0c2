package dev.thimble.runtime.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code utils.crypto} and {@code utils.jwt}, in Java. Byte strings cross the boundary as base64.
 * {@code encrypt("aes")} is AES-GCM with a random 12-byte nonce prepended to the ciphertext: Thimble's
 * own format (what Stitch used is not documented), so only Thimble decrypts it.
 */
final class Crypto {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final int NONCE = 12;

    private final Clock clock;

    Crypto(Clock clock) {
        this.clock = clock;
    }

    static byte[] bytes(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UserError("TypeError", "not valid base64");
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    String hash(String algorithm, String input) {
        String jca = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw new UserError("utils.crypto.hash: unsupported algorithm '" + algorithm + "' (use sha1, sha256, sha512 or md5)");
        };
        try {
            return b64(MessageDigest.getInstance(jca).digest(bytes(input)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String macAlgorithm(String algorithm, String what) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            case "sha512" -> "HmacSHA512";
            default -> throw new UserError(what + ": unsupported algorithm '" + algorithm + "' (use sha1, sha256 or sha512)");
        };
    }

    private static byte[] mac(String jca, byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance(jca);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jca));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String hmac(String input, String secret, String algorithm, String encoding) {
        byte[] out = mac(macAlgorithm(algorithm, "utils.crypto.hmac"), bytes(secret), bytes(input));
        return switch (encoding) {
            case "hex" -> HexFormat.of().formatHex(out);
            case "base64" -> b64(out);
            default -> throw new UserError("utils.crypto.hmac: unsupported output encoding '" + encoding + "' (use hex or base64)");
        };
    }

    private static SecretKeySpec aesKey(String type, String key, String what) {
        if (!type.equalsIgnoreCase("aes")) {
            throw new UserError(what + ": unsupported encryption type '" + type + "' (use aes)");
        }
        byte[] k = bytes(key);
        if (k.length != 16 && k.length != 24 && k.length != 32) {
            throw new UserError(what + ": an aes key must be 16, 24 or 32 bytes long, this one has " + k.length);
        }
        return new SecretKeySpec(k, "AES");
    }

    String encrypt(String type, String message, String key) {
        SecretKeySpec spec = aesKey(type, key, "utils.crypto.encrypt");
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(bytes(message));
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return b64(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String decrypt(String type, String encrypted, String key) {
        SecretKeySpec spec = aesKey(type, key, "utils.crypto.decrypt");
        byte[] in = bytes(encrypted);
        if (in.length < NONCE + 16) {
            throw new UserError("utils.crypto.decrypt: the message is too short to be the output of utils.crypto.encrypt");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, in, 0, NONCE));
            return b64(cipher.doFinal(in, NONCE, in.length - NONCE));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UserError("utils.crypto.decrypt: wrong key, or the message was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwtMac(String alg) {
        return switch (alg) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> throw new UserError("utils.jwt: algorithm '" + alg + "' is not available in Thimble yet (use HS256, HS384 or HS512)");
        };
    }

    String jwtEncode(String alg, String payloadJson, String secret, String headersJson) {
        String jca = jwtMac(alg);
        try {
            ObjectNode header = JSON.createObjectNode().put("alg", alg).put("typ", "JWT");
            JsonNode custom = JSON.readTree(headersJson);
            if (custom instanceof ObjectNode extra) {
                extra.properties().forEach(e -> header.set(e.getKey(), e.getValue()));
                header.put("alg", alg);
            }
            String signingInput = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + URL.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
            byte[] signature = mac(jca, bytes(secret), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature);
        } catch (JsonProcessingException e) {
            throw new UserError("utils.jwt.encode: custom headers must be a JSON object");
        }
    }

    /** Verifies an HS* token and its {@code exp}/{@code nbf}; answers JSON {@code [header, payload]}. */
    String jwtDecode(String token, String key) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new UserError("utils.jwt.decode: not a JWT (expected three dot-separated parts)");
        }
        try {
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(dec.decode(parts[0]));
            JsonNode payload = JSON.readTree(dec.decode(parts[1]));
            String alg = header.path("alg").asText("");
            byte[] expected = mac(jwtMac(alg), bytes(key), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, dec.decode(parts[2]))) {
                throw new UserError("utils.jwt.decode: invalid signature");
            }
            long now = clock.instant().getEpochSecond();
            if (payload.has("exp") && payload.get("exp").isNumber() && now >= payload.get("exp").asLong()) {
                throw new UserError("utils.jwt.decode: the token has expired");
            }
            if (payload.has("nbf") && payload.get("nbf").isNumber() && now < payload.get("nbf").asLong()) {
                throw new UserError("utils.jwt.decode: the token is not valid yet (nbf)");
            }
            ArrayNode out = JSON.createArrayNode().add(header).add(payload);
            return JSON.writeValueAsString(out);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new UserError("utils.jwt.decode: the token is malformed");
        }
    }
}
