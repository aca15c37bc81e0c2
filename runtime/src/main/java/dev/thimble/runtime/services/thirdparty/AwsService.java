package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code aws} service type: actions named like the AWS SDK's ({@code s3:PutObject}, {@code s3:GetObject}, {@code s3:DeleteObject},
 * {@code ses:SendEmail}, {@code kinesis:PutRecord}, {@code lambda:Invoke}), with the SDK's argument and
 * result field names, signed with Signature Version 4 by {@code config.accessKeyId} and the secret
 * {@code secretAccessKey}, in the region the function picked or {@code config.region}.
 */
final class AwsService implements ServiceType {
    static final List<String> ACTIONS = List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "ses:SendEmail", "kinesis:PutRecord", "lambda:Invoke");

    private final S3Objects s3;
    private final SesMail ses;
    private final KinesisRecords kinesis;
    private final LambdaInvocations lambda;

    AwsService(Outbound outbound, Clock clock) {
        this.s3 = new S3Objects(outbound, clock);
        this.ses = new SesMail(outbound, clock);
        this.kinesis = new KinesisRecords(outbound, clock);
        this.lambda = new LambdaInvocations(outbound, clock);
    }

    @Override
    public Set<String> types() {
        return Set.of("aws");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        Args args = Args.of(service, request);
        if (!ACTIONS.contains(request.action())) {
            throw args.error("the aws service type has no action \"" + request.action() + "\"; it offers " + String.join(", ", ACTIONS));
        }
        AwsAccount account = AwsAccount.of(service, request.region(), args.where());
        return switch (request.action()) {
            case "s3:PutObject" -> putObject(account, args);
            case "s3:GetObject" -> getObject(account, args);
            case "s3:DeleteObject" -> deleteObject(account, args);
            case "ses:SendEmail" -> sendEmail(account, args);
            case "kinesis:PutRecord" -> kinesis.putRecord(account, args);
            case "lambda:Invoke" -> lambda.invoke(account, args);
            default -> throw new IllegalStateException(request.action());
        };
    }

    private BsonDocument putObject(AwsAccount account, Args args) {
        String bucket = args.text("Bucket");
        String key = args.text("Key");
        byte[] body = args.bytes("Body");
        Map<String, String> headers = new LinkedHashMap<>();
        header(args, headers, "Content-Type", "ContentType");
        header(args, headers, "x-amz-acl", "ACL");
        header(args, headers, "Cache-Control", "CacheControl");
        header(args, headers, "Content-Disposition", "ContentDisposition");
        header(args, headers, "Content-Encoding", "ContentEncoding");
        header(args, headers, "x-amz-storage-class", "StorageClass");
        BsonDocument metadata = args.document("Metadata");
        for (String name : metadata.keySet()) {
            if (!metadata.get(name).isString() || !name.matches("[A-Za-z0-9-_.]+")) {
                throw args.error("Metadata." + name + " must be a string under a name of letters, digits, '-', '_' or '.'");
            }
            String value = metadata.getString(name).getValue();
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw args.error("Metadata." + name + " must be a single line");
            }
            headers.put("x-amz-meta-" + name.toLowerCase(), value);
        }
        S3Objects.Stored stored = s3.put(account, args.where(), bucket, key, body, headers);
        BsonDocument result = new BsonDocument();
        if (stored.eTag() != null) {
            result.append("ETag", new BsonString(stored.eTag()));
        }
        if (stored.versionId() != null) {
            result.append("VersionId", new BsonString(stored.versionId()));
        }
        return result;
    }

    private BsonDocument getObject(AwsAccount account, Args args) {
        S3Objects.Fetched fetched = s3.get(account, args.where(), args.text("Bucket"), args.text("Key"));
        BsonDocument result = new BsonDocument("Body", new BsonBinary(fetched.body()))
                .append("ContentLength", new BsonInt64(fetched.contentLength()));
        if (fetched.contentType() != null) {
            result.append("ContentType", new BsonString(fetched.contentType()));
        }
        if (fetched.eTag() != null) {
            result.append("ETag", new BsonString(fetched.eTag()));
        }
        if (fetched.lastModified() != null) {
            result.append("LastModified", new BsonDateTime(fetched.lastModified().toEpochMilli()));
        }
        return result;
    }

    private BsonDocument deleteObject(AwsAccount account, Args args) {
        Map<String, String> answer = s3.delete(account, args.where(), args.text("Bucket"), args.text("Key"));
        BsonDocument result = new BsonDocument();
        if (answer.containsKey("DeleteMarker")) {
            result.append("DeleteMarker", BsonBoolean.valueOf("true".equals(answer.get("DeleteMarker"))));
        }
        if (answer.containsKey("VersionId")) {
            result.append("VersionId", new BsonString(answer.get("VersionId")));
        }
        return result;
    }

    private BsonDocument sendEmail(AwsAccount account, Args args) {
        Args destination = args.nested("Destination");
        Args message = args.nested("Message");
        Args subject = message.nested("Subject");
        Args body = message.nested("Body");
        SesMail.Part text = body.has("Text") ? part(body.nested("Text")) : null;
        SesMail.Part html = body.has("Html") ? part(body.nested("Html")) : null;
        List<String> to = destination.texts("ToAddresses");
        List<String> cc = destination.texts("CcAddresses");
        List<String> bcc = destination.texts("BccAddresses");
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw args.error("Destination needs at least one address in ToAddresses, CcAddresses or BccAddresses");
        }
        if (text == null && html == null) {
            throw args.error("Message.Body needs Text.Data or Html.Data");
        }
        String messageId = ses.send(account, args.where(), new SesMail.Message(args.text("Source"), to, cc, bcc,
                args.texts("ReplyToAddresses"), part(subject), text, html));
        return new BsonDocument("MessageId", new BsonString(messageId));
    }

    private static SesMail.Part part(Args content) {
        return new SesMail.Part(content.text("Data"), content.optionalText("Charset"));
    }

    private static void header(Args args, Map<String, String> headers, String header, String argument) {
        String value = args.optionalText(argument);
        if (value != null) {
            // java.net.http refuses a header value with a line break; say which argument held it.
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw args.error("the argument \"" + argument + "\" must be a single line");
            }
            headers.put(header, value);
        }
    }
}
