package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** S3's PutObject, GetObject and DeleteObject over the REST API, shared by the {@code aws} and legacy {@code aws-s3} types. */
final class S3Objects {
    /** What PutObject answered, and the object's URL. */
    record Stored(String location, String eTag, String versionId) {
    }

    /** What GetObject answered. */
    record Fetched(byte[] body, String contentType, long contentLength, String eTag, Instant lastModified) {
    }

    private final Outbound outbound;
    private final Clock clock;

    S3Objects(Outbound outbound, Clock clock) {
        this.outbound = outbound;
        this.clock = clock;
    }

    Stored put(AwsAccount account, String where, String bucket, String key, byte[] body, Map<String, String> headers) {
        check(where, bucket, key);
        String url = objectUrl(account, bucket, key);
        Outbound.Reply reply = account.send(outbound, clock, where, "s3", "PUT", url, headers, body);
        if (!reply.ok()) {
            throw AwsErrors.refused(where, "S3", reply);
        }
        return new Stored(url, reply.header("ETag"), reply.header("x-amz-version-id"));
    }

    Fetched get(AwsAccount account, String where, String bucket, String key) {
        check(where, bucket, key);
        Outbound.Reply reply = account.send(outbound, clock, where, "s3", "GET", objectUrl(account, bucket, key), Map.of(), null);
        if (!reply.ok()) {
            throw AwsErrors.refused(where, "S3", reply);
        }
        return new Fetched(reply.body(), reply.header("Content-Type"), reply.body().length, reply.header("ETag"),
                httpDate(reply.header("Last-Modified")));
    }

    /** Deletes an object (S3 answers 204 whether or not it existed); returns {@code x-amz-version-id} and {@code x-amz-delete-marker} when S3 sent them. */
    Map<String, String> delete(AwsAccount account, String where, String bucket, String key) {
        check(where, bucket, key);
        Outbound.Reply reply = account.send(outbound, clock, where, "s3", "DELETE", objectUrl(account, bucket, key), Map.of(), null);
        if (!reply.ok()) {
            throw AwsErrors.refused(where, "S3", reply);
        }
        Map<String, String> answer = new LinkedHashMap<>();
        if (reply.header("x-amz-delete-marker") != null) {
            answer.put("DeleteMarker", reply.header("x-amz-delete-marker"));
        }
        if (reply.header("x-amz-version-id") != null) {
            answer.put("VersionId", reply.header("x-amz-version-id"));
        }
        return answer;
    }

    /** Refuses a bucket name S3 would not accept: it becomes part of the host name, so it must not redirect the request. */
    static void check(String where, String bucket, String key) {
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ServiceCallException(where + ": \"" + bucket + "\" is not an S3 bucket name"
                    + " (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new ServiceCallException(where + ": an S3 object key must be 1 to 1024 bytes long");
        }
    }

    /**
     * Virtual-hosted style against AWS ({@code https://bucket.s3.region.amazonaws.com/key}), except for
     * bucket names with dots, which the wildcard certificate does not cover; path style against a base URL.
     */
    static String objectUrl(AwsAccount account, String bucket, String key) {
        String path = "/" + SigV4.encodeKey(key);
        if (account.baseUrl() != null) {
            return account.baseUrl() + "/" + SigV4.encode(bucket) + path;
        }
        if (bucket.contains(".")) {
            return "https://s3." + account.region() + ".amazonaws.com/" + bucket + path;
        }
        return "https://" + bucket + ".s3." + account.region() + ".amazonaws.com" + path;
    }

    private static Instant httpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
