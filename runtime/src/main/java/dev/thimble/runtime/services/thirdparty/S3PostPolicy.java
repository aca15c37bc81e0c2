package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A Signature Version 4 POST policy for a browser upload straight to S3 (the legacy {@code signPolicy}):
 * the form posts {@code policy}, {@code x-amz-signature}, {@code x-amz-algorithm}, {@code x-amz-date}
 * and {@code x-amz-credential} with the file, and S3 accepts it until the policy expires.
 */
final class S3PostPolicy {
    /** How long a signed policy stays valid: long enough for a user to pick a file and upload it. */
    static final Duration VALIDITY = Duration.ofHours(1);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The form fields a browser posts, besides {@code key}, {@code acl}, {@code Content-Type} and the file. */
    record Signed(String policy, String signature, String algorithm, String date, String credential) {
    }

    private S3PostPolicy() {
    }

    static Signed sign(AwsAccount account, String bucket, String key, String acl, String contentType, Instant now) {
        String date = SigV4.amzDate(now);
        String credential = account.credentials().accessKeyId() + "/" + SigV4.scope(SigV4.dateStamp(now), account.region(), "s3");
        ObjectNode policy = MAPPER.createObjectNode();
        policy.put("expiration", EXPIRATION.format(now.plus(VALIDITY)));
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        conditions.addObject().put("key", key);
        if (acl != null) {
            conditions.addObject().put("acl", acl);
        }
        if (contentType != null) {
            conditions.addObject().put("Content-Type", contentType);
        }
        conditions.addObject().put("x-amz-credential", credential);
        conditions.addObject().put("x-amz-algorithm", SigV4.ALGORITHM);
        conditions.addObject().put("x-amz-date", date);
        String encoded = Base64.getEncoder().encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));
        String signature = signature(account.credentials().secretAccessKey(), SigV4.dateStamp(now), account.region(), encoded);
        return new Signed(encoded, signature, SigV4.ALGORITHM, date, credential);
    }

    /** The policy's signature: the base64 policy is the string to sign, under the day's S3 signing key. */
    static String signature(String secretAccessKey, String dateStamp, String region, String base64Policy) {
        return SigV4.hex(SigV4.hmac(SigV4.signingKey(secretAccessKey, dateStamp, region, "s3"), base64Policy));
    }
}
