package dev.thimble.runtime.services.thirdparty;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code X-Twilio-Signature} of an incoming Twilio webhook: base64 of HMAC-SHA1 under the
 * account's auth token over the full URL Twilio called followed by every form parameter, sorted by
 * name, as name and value concatenated (Twilio's "Webhooks security" guide); a JSON body is covered by
 * a {@code bodySHA256} URL parameter instead ({@link #verifyJsonBody}).
 */
public final class TwilioSignature {
    public static final String HEADER = "X-Twilio-Signature";

    private TwilioSignature() {
    }

    /**
     * True when {@code headerValue} is the signature of this request; compared in constant time. The
     * URL is also tried with and without its scheme's default port, since Twilio's libraries accept both.
     *
     * @param fullUrl    the URL as Twilio called it: scheme, host, path and query string
     * @param formParams the POST form parameters (empty for a GET); a repeated name holds several values
     */
    public static boolean verify(String authToken, String fullUrl, Map<String, List<String>> formParams, String headerValue) {
        if (authToken == null || authToken.isEmpty() || headerValue == null || headerValue.isBlank() || fullUrl == null) {
            return false;
        }
        byte[] given = headerValue.strip().getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String url : urlForms(fullUrl)) {
            // No early exit: every form is checked, so timing does not tell which one came close.
            match |= MessageDigest.isEqual(given, sign(authToken, url, formParams).getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /**
     * For a request with a JSON body, which Twilio signs differently: the URL carries
     * {@code bodySHA256=<hex SHA-256 of the body>} and the signature covers the URL alone. True when both
     * the signature and the body's hash match.
     */
    public static boolean verifyJsonBody(String authToken, String fullUrl, byte[] rawBody, String headerValue) {
        if (rawBody == null || fullUrl == null) {
            return false;
        }
        String claimed = null;
        int query = fullUrl.indexOf('?');
        if (query >= 0) {
            List<String> values = parseForm(fullUrl.substring(query + 1)).get("bodySHA256");
            claimed = values == null || values.isEmpty() ? null : values.get(0).toLowerCase(Locale.ROOT);
        }
        boolean signed = verify(authToken, fullUrl, Map.of(), headerValue);
        boolean hashed = claimed != null && MessageDigest.isEqual(claimed.getBytes(StandardCharsets.US_ASCII),
                SigV4.sha256Hex(rawBody).getBytes(StandardCharsets.US_ASCII));
        return signed & hashed;
    }

    /** The signature Twilio sends for this URL and these parameters. */
    public static String sign(String authToken, String fullUrl, Map<String, List<String>> formParams) {
        StringBuilder data = new StringBuilder(fullUrl);
        new TreeMap<>(formParams == null ? Map.<String, List<String>>of() : formParams).forEach((name, values) ->
                values.stream().sorted().forEach(value -> data.append(name).append(value)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** An {@code application/x-www-form-urlencoded} body as names to values, in order. */
    public static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static Set<String> urlForms(String fullUrl) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(fullUrl);
        try {
            URI uri = new URI(fullUrl);
            int defaultPort = "https".equals(uri.getScheme()) ? 443 : "http".equals(uri.getScheme()) ? 80 : -1;
            if (defaultPort > 0 && uri.getHost() != null) {
                String rest = (uri.getRawPath() == null ? "" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
                if (uri.getPort() == -1) {
                    forms.add(uri.getScheme() + "://" + userInfo + uri.getHost() + ":" + defaultPort + rest);
                } else if (uri.getPort() == defaultPort) {
                    forms.add(uri.getScheme() + "://" + userInfo + uri.getHost() + rest);
                }
            }
        } catch (URISyntaxException e) {
            // Not a URI we can vary: the URL as given is the only form tried.
        }
        return forms;
    }
}
