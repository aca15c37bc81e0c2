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

    /** The JCA name of a JWS algorithm (RFC 7518): HMAC for HS*, RSA PKCS#1 v1.5 for RS*, RSA-PSS for PS*, ECDSA (r||s) for ES*. */
    private static String jwsAlgorithm(String alg) {
        return switch (alg) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            case "RS256" -> "SHA256withRSA";
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            case "PS256", "PS384", "PS512" -> "RSASSA-PSS";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "ES512" -> "SHA512withECDSAinP1363Format";
            default -> throw new UserError("utils.jwt: unsupported algorithm '" + alg + "' (use HS256/384/512, RS256/384/512, PS256/384/512 or ES256/384/512)");
        };
    }

    private static java.security.Signature signature(String alg) throws GeneralSecurityException {
        java.security.Signature sig = java.security.Signature.getInstance(jwsAlgorithm(alg));
        if (alg.startsWith("PS")) {
            int bits = Integer.parseInt(alg.substring(2));
            String digest = "SHA-" + bits;
            sig.setParameter(new java.security.spec.PSSParameterSpec(digest, "MGF1", new java.security.spec.MGF1ParameterSpec(digest), bits / 8, 1));
        }
        return sig;
    }

    /** Signs the JWS input: with the secret for HS*, else with the PEM (PKCS#8) private key the secret holds. */
    private static byte[] jwsSign(String alg, byte[] secret, byte[] input) {
        if (alg.startsWith("HS")) {
            return mac(jwsAlgorithm(alg), secret, input);
        }
        try {
            java.security.Signature sig = signature(alg);
            sig.initSign(Pem.privateKey(new String(secret, StandardCharsets.UTF_8), alg.startsWith("ES") ? "EC" : "RSA"));
            sig.update(input);
            return sig.sign();
        } catch (GeneralSecurityException e) {
            throw new UserError("utils.jwt.encode: cannot sign with " + alg + ": " + e.getMessage());
        }
    }

    /** Verifies the JWS signature: the HMAC in constant time for HS*, else with the PEM public key or certificate the key holds. */
    private static boolean jwsVerify(String alg, byte[] key, byte[] input, byte[] signature) {
        if (alg.startsWith("HS")) {
            return MessageDigest.isEqual(mac(jwsAlgorithm(alg), key, input), signature);
        }
        try {
            java.security.Signature sig = signature(alg);
            sig.initVerify(Pem.publicKey(new String(key, StandardCharsets.UTF_8), alg.startsWith("ES") ? "EC" : "RSA"));
            sig.update(input);
            return sig.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new UserError("utils.jwt.decode: cannot verify " + alg + ": " + e.getMessage());
        }
    }

    String jwtEncode(String alg, String payloadJson, String secret, String headersJson) {
        jwsAlgorithm(alg);
        try {
            ObjectNode header = JSON.createObjectNode().put("alg", alg).put("typ", "JWT");
            JsonNode custom = JSON.readTree(headersJson);
            if (custom instanceof ObjectNode extra) {
                extra.properties().forEach(e -> header.set(e.getKey(), e.getValue()));
                header.put("alg", alg);
            }
            String signingInput = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + URL.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
            byte[] signature = jwsSign(alg, bytes(secret), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature);
        } catch (JsonProcessingException e) {
            throw new UserError("utils.jwt.encode: custom headers must be a JSON object");
        }
    }

    /** Verifies a token's signature (HS*, RS*, PS*, ES*) and its {@code exp}/{@code nbf}; answers JSON {@code [header, payload]}. */
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
            if (!jwsVerify(alg, bytes(key), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), dec.decode(parts[2]))) {
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
