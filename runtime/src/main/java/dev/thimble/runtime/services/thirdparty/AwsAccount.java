package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS account a service signs with ({@code config.accessKeyId}, secret {@code secretAccessKey}),
 * the region of one call and where its requests go, and the one place that signs and sends them.
 *
 * @param baseUrl {@code config.base_url}, or null to reach the real regional AWS endpoints
 */
record AwsAccount(SigV4.Credentials credentials, String region, String baseUrl) {

    /** The account of {@code service} for a call in {@code requestedRegion} (the service's region when null). */
    static AwsAccount of(ConfiguredService service, String requestedRegion, String where) {
        String region = requestedRegion != null && !requestedRegion.isBlank() ? requestedRegion.strip()
                : service.config().text("region", "").strip();
        if (region.isEmpty()) {
            throw new ServiceCallException(where + ": no AWS region; pick one in the call (e.g. svc.s3(\"us-east-1\")) "
                    + "or set config.region in services/" + service.name() + "/config.json");
        }
        if (!region.matches("[a-z0-9-]+")) {
            throw new ServiceCallException(where + ": \"" + region + "\" is not an AWS region name (e.g. us-east-1)");
        }
        String accessKeyId = Where.config(service, "accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        String secret = Where.secret(service, "secretAccessKey");
        return new AwsAccount(new SigV4.Credentials(accessKeyId, secret), region, Where.baseUrl(service, null));
    }

    /** {@code https://<host>} for a regional endpoint, or the base URL when one is configured. */
    String endpoint(String host) {
        return baseUrl != null ? baseUrl : "https://" + host;
    }

    /**
     * Signs and sends one request; {@code headers} are sent and signed. For S3 the payload's hash
     * also goes out as {@code x-amz-content-sha256}, which S3 requires.
     */
    Outbound.Reply send(Outbound outbound, Clock clock, String where, String signingService, String method, String url,
                        Map<String, String> headers, byte[] body) {
        String payloadHash = SigV4.sha256Hex(body == null ? new byte[0] : body);
        Map<String, String> toSign = new LinkedHashMap<>(headers);
        if ("s3".equals(signingService)) {
            toSign.put("x-amz-content-sha256", payloadHash);
        }
        URI uri = URI.create(url);
        SigV4.Signed signed = SigV4.sign(credentials, region, signingService, method, uri, toSign, payloadHash, clock.instant());
        HttpRequest.Builder request = Outbound.request(url).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            signed.headers().forEach(request::header);
        } catch (IllegalArgumentException e) {
            // A header value from the function's arguments that HTTP cannot carry (a line break, say).
            throw new ServiceCallException(where + ": an argument cannot be sent as an HTTP header value (" + e.getMessage() + ")");
        }
        return outbound.send(request.build(), where);
    }

    @Override
    public String toString() {
        return "AwsAccount[" + credentials.accessKeyId() + ", " + region + "]";
    }
}
