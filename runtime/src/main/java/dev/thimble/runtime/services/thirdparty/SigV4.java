package dev.thimble.runtime.services.thirdparty;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a request sent in one piece: the canonical request, the string to
 * sign, the derived signing key and the {@code Authorization} header, as AWS's "Create a signed AWS
 * API request" guide describes them. Verified against AWS's published examples in {@code SigV4Test}.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    /** An access key: the id goes into the credential scope, the secret only into the key derivation. */
    record Credentials(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + "]";
        }
    }

    /** What signing added: the headers to send ({@code x-amz-date}, {@code Authorization}, …) and the steps, for tests. */
    record Signed(Map<String, String> headers, String canonicalRequest, String stringToSign, String signature) {
    }

    private SigV4() {
    }

    static String amzDate(Instant instant) {
        return AMZ_DATE.format(instant);
    }

    static String dateStamp(Instant instant) {
        return DATE_STAMP.format(instant);
    }

    static String scope(String dateStamp, String region, String service) {
        return dateStamp + "/" + region + "/" + service + "/aws4_request";
    }

    /**
     * Signs a request: {@code headers} are the headers to sign besides {@code host} and {@code x-amz-date}
     * (which this adds); the result's headers are the ones to send besides {@code host}.
     *
     * @param payloadHash hex SHA-256 of the body; for S3 it is also sent as {@code x-amz-content-sha256}
     */
    static Signed sign(Credentials credentials, String region, String service, String method, URI uri,
                       Map<String, String> headers, String payloadHash, Instant now) {
        String amzDate = amzDate(now);
        Map<String, String> toSign = new LinkedHashMap<>(headers);
        toSign.put("host", hostHeader(uri));
        toSign.put("x-amz-date", amzDate);
        TreeMap<String, String> canonical = canonicalHeaders(toSign);
        String canonicalUri = canonicalUri(uri.getRawPath(), service);
        String canonicalRequest = canonicalRequest(method, canonicalUri, canonicalQuery(uri.getRawQuery()), canonical, payloadHash);
        String scope = scope(dateStamp(now), region, service);
        String stringToSign = stringToSign(amzDate, scope, canonicalRequest);
        String signature = HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), dateStamp(now), region, service), stringToSign));
        Map<String, String> send = new LinkedHashMap<>(headers);
        send.put("x-amz-date", amzDate);
        send.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + String.join(";", canonical.keySet()) + ", Signature=" + signature);
        return new Signed(send, canonicalRequest, stringToSign, signature);
    }

    /** The Host header java.net.http sends for this URI: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(uri.getScheme()) && port == 443)
                || ("http".equals(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
                                   TreeMap<String, String> canonicalHeaders, String payloadHash) {
        StringBuilder out = new StringBuilder().append(method).append('\n').append(canonicalUri).append('\n')
                .append(canonicalQuery).append('\n');
        canonicalHeaders.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        return out.append('\n').append(String.join(";", canonicalHeaders.keySet())).append('\n').append(payloadHash).toString();
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] signingKey(String secretAccessKey, String dateStamp, String region, String service) {
        byte[] date = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), dateStamp);
        byte[] regional = hmac(date, region);
        byte[] serviceKey = hmac(regional, service);
        return hmac(serviceKey, "aws4_request");
    }

    /** Lower-cased names, values trimmed with inner runs of spaces collapsed, sorted by name. */
    static TreeMap<String, String> canonicalHeaders(Map<String, String> headers) {
        TreeMap<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.merge(name.toLowerCase(Locale.ROOT),
                value.strip().replaceAll(" +", " "), (a, b) -> a + "," + b));
        return canonical;
    }

    /**
     * The path as sent for S3 (whose keys are already encoded once, and which must not be normalised),
     * encoded once more for every other service, as the signing guide requires.
     */
    static String canonicalUri(String rawPath, String service) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if ("s3".equals(service)) {
            return path;
        }
        return encodeKey(path);
    }

    /** The query's parameters decoded, encoded the AWS way and sorted by name, then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[]{encode(decode(name)), encode(decode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** RFC 3986 percent-encoding: everything but {@code A-Z a-z 0-9 - _ . ~} is encoded, as UTF-8. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** An S3 object key as a path: each segment encoded, the slashes kept. */
    static String encodeKey(String key) {
        StringBuilder out = new StringBuilder();
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(segments[i]));
        }
        return out.toString();
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String hex(byte[] data) {
        return HEX.formatHex(data);
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
