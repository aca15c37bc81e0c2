package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The 2017–18 {@code aws-s3} service type: {@code put({bucket, key, acl, contentType, body})} →
 * {@code {location, etag}} and {@code signPolicy({bucket, key, acl, contentType})} →
 * {@code {policy, signature, algorithm, date, credential}} for a browser POST upload ({@code date} a date, as
 * Stitch documented it; the form's {@code x-amz-date} is that instant as {@code yyyyMMdd'T'HHmmss'Z'}). Same config as
 * {@code aws}: {@code region}, {@code accessKeyId}, secret {@code secretAccessKey}.
 */
final class LegacyS3Service implements ServiceType {
    private final S3Objects s3;
    private final Clock clock;

    LegacyS3Service(Outbound outbound, Clock clock) {
        this.s3 = new S3Objects(outbound, clock);
        this.clock = clock;
    }

    @Override
    public Set<String> types() {
        return Set.of("aws-s3");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        Args args = Args.of(service, request);
        return switch (request.action()) {
            case "put" -> put(AwsAccount.of(service, request.region(), args.where()), args);
            case "signPolicy" -> signPolicy(AwsAccount.of(service, request.region(), args.where()), args);
            default -> throw args.error("the aws-s3 service type has no action \"" + request.action() + "\"; it offers put, signPolicy");
        };
    }

    private BsonDocument put(AwsAccount account, Args args) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = args.optionalText("contentType");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        String acl = args.optionalText("acl");
        if (acl != null) {
            headers.put("x-amz-acl", acl);
        }
        S3Objects.Stored stored = s3.put(account, args.where(), args.text("bucket"), args.text("key"), args.bytes("body"), headers);
        BsonDocument result = new BsonDocument("location", new BsonString(stored.location()));
        if (stored.eTag() != null) {
            result.append("etag", new BsonString(stored.eTag()));
        }
        return result;
    }

    private BsonDocument signPolicy(AwsAccount account, Args args) {
        String bucket = args.text("bucket");
        String key = args.text("key");
        S3Objects.check(args.where(), bucket, key);
        // Whole seconds: the policy's x-amz-date has no fraction, and the date returned must be that instant.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        S3PostPolicy.Signed signed = S3PostPolicy.sign(account, bucket, key, args.optionalText("acl"),
                args.optionalText("contentType"), now);
        return new BsonDocument("policy", new BsonString(signed.policy()))
                .append("signature", new BsonString(signed.signature()))
                .append("algorithm", new BsonString(signed.algorithm()))
                // Stitch documented "date" as a date; the form field x-amz-date is its yyyyMMdd'T'HHmmss'Z' form.
                .append("date", new BsonDateTime(now.toEpochMilli()))
                .append("credential", new BsonString(signed.credential()));
    }
}
