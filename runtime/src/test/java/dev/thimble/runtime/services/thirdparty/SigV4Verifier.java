package dev.thimble.runtime.services.thirdparty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an AWS endpoint does with a request: recompute its Signature Version 4 from the request as
 * received and the secret, and compare. Written from the signing guide apart from {@link SigV4} (its own
 * encoding, canonical form and HMAC chain on javax.crypto), so a mistake in the signer shows up here
 * rather than being repeated.
 */
final class SigV4Verifier {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    /** The parts of a verified signature. */
    record Verdict(boolean valid, String reason, String accessKeyId, String region, String service, String signedHeaders) {
    }

    private final String secretAccessKey;

    SigV4Verifier(String secretAccessKey) {
        this.secretAccessKey = secretAccessKey;
    }

    Verdict verify(FakeService.Received request) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            return new Verdict(false, "no Authorization header", null, null, null, null);
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return new Verdict(false, "malformed Authorization: " + authorization, null, null, null, null);
        }
        String accessKeyId = m.group(1);
        String date = m.group(2);
        String region = m.group(3);
        String service = m.group(4);
        String signedHeaders = m.group(5);
        String amzDate = request.header("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(date + "T")) {
            return new Verdict(false, "x-amz-date " + amzDate + " does not match the credential date " + date, accessKeyId, region, service, signedHeaders);
        }
        String payloadHash = hex(sha256(request.body()));
        if ("s3".equals(service) && !payloadHash.equals(request.header("x-amz-content-sha256"))) {
            return new Verdict(false, "x-amz-content-sha256 is not the body's SHA-256", accessKeyId, region, service, signedHeaders);
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n');
        canonical.append("s3".equals(service) ? request.path() : reencodePath(request.path())).append('\n');
        canonical.append(query(request.query())).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                return new Verdict(false, "signed header " + name + " was not sent", accessKeyId, region, service, signedHeaders);
            }
            canonical.append(name).append(':').append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList())).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = mac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = mac(key, region);
        key = mac(key, service);
        key = mac(key, "aws4_request");
        String expected = hex(mac(key, toSign));
        boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(6).getBytes(StandardCharsets.US_ASCII));
        return new Verdict(valid, valid ? "ok" : "signature mismatch; canonical request was:\n" + canonical,
                accessKeyId, region, service, signedHeaders);
    }

    private static String reencodePath(String rawPath) {
        return String.join("/", java.util.Arrays.stream(rawPath.split("/", -1)).map(SigV4Verifier::awsEncode).toList());
    }

    private static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            pairs.add(awsEncode(URLDecoder.decode(kv[0], StandardCharsets.UTF_8)) + "="
                    + awsEncode(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""));
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static String awsEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }

    static byte[] mac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
