package dev.thimble.runtime.services.thirdparty;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the signature GitHub puts on a webhook delivery: {@code X-Hub-Signature-256: sha256=<hex
 * HMAC-SHA256(secret, raw body)>}, or, from senders that only have the legacy header,
 * {@code X-Hub-Signature: sha1=<hex HMAC-SHA1>}. See {@link GitHubEvent} for the parsed delivery.
 */
public final class GitHubSignature {
    public static final String HEADER_SHA256 = "X-Hub-Signature-256";
    public static final String HEADER_SHA1 = "X-Hub-Signature";

    private GitHubSignature() {
    }

    /**
     * True when the delivery carries a valid signature of {@code rawBody} under {@code secret}, compared
     * in constant time. When the SHA-256 header is present it alone decides: a bad SHA-256 signature is
     * not rescued by a SHA-1 one, so a forger cannot pick the weaker check.
     *
     * @param headers the request headers, names in any case
     */
    public static boolean verify(String secret, byte[] rawBody, Map<String, List<String>> headers) {
        if (secret == null || secret.isEmpty() || rawBody == null) {
            return false;
        }
        String sha256 = header(headers, HEADER_SHA256);
        if (sha256 != null) {
            return matches(sha256, "sha256=", "HmacSHA256", secret, rawBody);
        }
        String sha1 = header(headers, HEADER_SHA1);
        return sha1 != null && matches(sha1, "sha1=", "HmacSHA1", secret, rawBody);
    }

    /** {@code sha256=<hex>}: the value GitHub sends in {@value #HEADER_SHA256} for this body. */
    public static String sign(String secret, byte[] rawBody) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, rawBody));
    }

    /** The first value of a header, its name matched in any case; null when absent. */
    static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && entry.getValue() != null
                    && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    private static boolean matches(String value, String prefix, String algorithm, String secret, byte[] body) {
        String given = value.strip().toLowerCase(Locale.ROOT);
        String expected = prefix + HexFormat.of().formatHex(hmac(algorithm, secret, body));
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
