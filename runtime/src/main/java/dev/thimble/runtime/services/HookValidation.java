package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.Unauthenticated;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.InternalFailure;
import dev.thimble.runtime.server.ClientHooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code validationMethod} of a webhook or endpoint (STITCH-SPEC §5B): {@code NO_VALIDATION},
 * {@code SECRET_AS_QUERY_PARAM} ({@code ?secret=}) or {@code VERIFY_PAYLOAD}
 * ({@code X-Hook-Signature: sha256=<hex HMAC-SHA256(raw body, secret)>}). Secrets are compared in
 * constant time; a missing credential is 401, a wrong one 403, neither message ever shows the secret.
 */
final class HookValidation {
    static final String AUTH_FAILED = "IncomingWebhookAuthFailed";

    private HookValidation() {
    }

    /**
     * @param what   the hook, for messages (e.g. {@code webhook inbox/newItem})
     * @param secret the hook's secret from the secret store, empty when it has none
     */
    static void check(String what, String method, String secretName, Optional<String> secret, ClientHooks.Request request) {
        String mode = method == null || method.isBlank() ? "NO_VALIDATION" : method.toUpperCase(Locale.ROOT);
        switch (mode) {
            case "NO_VALIDATION" -> { }
            case "SECRET_AS_QUERY_PARAM" -> {
                String expected = required(what, mode, secretName, secret);
                String given = request.queryParam("secret");
                if (given == null) {
                    throw new Unauthenticated(AUTH_FAILED, what + " expects its secret in the query string (?secret=...)");
                }
                if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                    throw new Forbidden(AUTH_FAILED, what + ": the secret in the query string is wrong");
                }
            }
            case "VERIFY_PAYLOAD" -> {
                String expected = required(what, mode, secretName, secret);
                // webhooks sign in X-Hook-Signature; HTTPS endpoints and the Data API in Endpoint-Signature
                String headerName = request.header("X-Hook-Signature") != null || request.header("Endpoint-Signature") == null
                        ? "X-Hook-Signature" : "Endpoint-Signature";
                String header = request.header(headerName);
                if (header == null) {
                    throw new Unauthenticated(AUTH_FAILED, what + " expects the header Endpoint-Signature (or X-Hook-Signature):"
                            + " sha256=<hex HMAC-SHA256 of the body>");
                }
                byte[] given;
                try {
                    if (!header.regionMatches(true, 0, "sha256=", 0, 7)) {
                        throw new IllegalArgumentException("no sha256= prefix");
                    }
                    given = HexFormat.of().parseHex(header.substring(7).trim());
                } catch (IllegalArgumentException e) {
                    throw new Forbidden(AUTH_FAILED, what + ": " + headerName + " must be sha256=<hex digest>");
                }
                if (!MessageDigest.isEqual(given, hmacSha256(expected, request.body()))) {
                    throw new Forbidden(AUTH_FAILED, what + ": " + headerName + " does not match the body");
                }
            }
            default -> throw new InternalFailure("InternalServerError", what + " has an unknown validation method '" + method
                    + "'; use NO_VALIDATION, SECRET_AS_QUERY_PARAM or VERIFY_PAYLOAD");
        }
    }

    private static String required(String what, String mode, String secretName, Optional<String> secret) {
        return secret.filter(s -> !s.isEmpty()).orElseThrow(() -> new InternalFailure("InternalServerError", what + " uses " + mode
                + " but its secret" + (secretName == null || secretName.isEmpty() ? " is not named (set secret_name)"
                : " '" + secretName + "' has no value here (set it with `thimble secrets set <app> " + secretName + "`)")));
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
