package dev.thimble.runtime.services.thirdparty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 (path style), SES's query API, Kinesis and Lambda behind one loopback endpoint, as LocalStack
 * serves them: each request's Signature Version 4 is recomputed with the secret and a bad one gets the
 * service's own refusal, as AWS would answer it.
 */
final class FakeAws {
    static final String ACCESS_KEY = "AKIDTHIMBLETEST";
    static final String SECRET = "thimble/TEST+secret/key0123456789abcdefgh";

    record StoredObject(byte[] body, String contentType, String acl) {
    }

    final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final SigV4Verifier verifier = new SigV4Verifier(SECRET);
    volatile SigV4Verifier.Verdict lastVerdict;

    FakeService.Answer handle(FakeService.Received request) {
        SigV4Verifier.Verdict verdict = verifier.verify(request);
        lastVerdict = verdict;
        String target = request.header("X-Amz-Target");
        if (target != null) {
            return verdict.valid() ? kinesis(request) : jsonRefusal(verdict);
        }
        if (request.path().startsWith("/2015-03-31/functions/")) {
            return verdict.valid() ? lambda(request) : jsonRefusal(verdict);
        }
        if (request.method().equals("POST") && request.path().equals("/")) {
            return verdict.valid() ? ses(request) : FakeService.Answer.xml(403, """
                    <ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>\
                    <Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message>\
                    </Error><RequestId>e0abcdfa-fake</RequestId></ErrorResponse>""");
        }
        return verdict.valid() ? s3(request) : FakeService.Answer.xml(403, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>""");
    }

    private FakeService.Answer s3(FakeService.Received request) {
        String path = request.path();
        if (path.startsWith("/leaky-proxy/")) {
            // A misbehaving proxy that quotes the credentials it was configured with.
            return FakeService.Answer.xml(400, "<Error><Code>InvalidRequest</Code><Message>bad key pair " + FakeAws.ACCESS_KEY
                    + ":" + SECRET + "</Message></Error>");
        }
        if (request.method().equals("PUT")) {
            objects.put(path, new StoredObject(request.body(), request.header("Content-Type"), request.header("x-amz-acl")));
            return new FakeService.Answer(200, Map.of("ETag", etag(request.body())), new byte[0]);
        }
        if (request.method().equals("GET")) {
            StoredObject object = objects.get(path);
            if (object == null) {
                return FakeService.Answer.xml(404, """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>%s</Key></Error>"""
                        .formatted(path));
            }
            return new FakeService.Answer(200, Map.of("Content-Type", object.contentType() == null ? "binary/octet-stream" : object.contentType(),
                    "ETag", etag(object.body()), "Last-Modified", "Mon, 12 Oct 2009 17:50:00 GMT"), object.body());
        }
        if (request.method().equals("DELETE")) {
            objects.remove(path);
            return new FakeService.Answer(204, Map.of(), new byte[0]);
        }
        return FakeService.Answer.xml(405, "<Error><Code>MethodNotAllowed</Code><Message>no</Message></Error>");
    }

    private FakeService.Answer ses(FakeService.Received request) {
        Map<String, List<String>> form = request.form();
        if (!List.of("SendEmail").equals(form.get("Action"))) {
            return FakeService.Answer.xml(400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>bad action</Message></Error></ErrorResponse>");
        }
        String source = form.get("Source").get(0);
        if (source.endsWith("@unverified.example")) {
            return FakeService.Answer.xml(400, """
                    <ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code>\
                    <Message>Email address is not verified. The following identities failed the check in region US-EAST-1: %s</Message></Error>\
                    <RequestId>a1b2</RequestId></ErrorResponse>""".formatted(source));
        }
        return FakeService.Answer.xml(200, """
                <SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
                  <SendEmailResult><MessageId>000001271b15238a-fd3ae762-2563-11df-8cd4-6d4e828a9ae8-000000</MessageId></SendEmailResult>
                  <ResponseMetadata><RequestId>fbd7a0a5-2563-11df-8cd4-6d4e828a9ae8</RequestId></ResponseMetadata>
                </SendEmailResponse>""");
    }

    private FakeService.Answer kinesis(FakeService.Received request) {
        if (!request.text().contains("\"StreamName\":\"orders\"")) {
            return new FakeService.Answer(400, Map.of("Content-Type", "application/x-amz-json-1.1"),
                    "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Stream missing under account 123 not found.\"}".getBytes(StandardCharsets.UTF_8));
        }
        return new FakeService.Answer(200, Map.of("Content-Type", "application/x-amz-json-1.1"),
                "{\"SequenceNumber\":\"21269319989653637946712965403778482371\",\"ShardId\":\"shardId-000000000001\"}".getBytes(StandardCharsets.UTF_8));
    }

    private FakeService.Answer lambda(FakeService.Received request) {
        if (request.path().contains("/functions/missing/")) {
            return new FakeService.Answer(404, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ResourceNotFoundException"),
                    "{\"Type\":\"User\",\"Message\":\"Function not found: arn:aws:lambda:us-east-1:123:function:missing\"}".getBytes(StandardCharsets.UTF_8));
        }
        if ("Event".equals(request.header("X-Amz-Invocation-Type"))) {
            return new FakeService.Answer(202, Map.of(), new byte[0]);
        }
        if (request.text().contains("\"fail\":true")) {
            return new FakeService.Answer(200, Map.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled",
                    "X-Amz-Executed-Version", "$LATEST"), "{\"errorMessage\":\"boom\",\"errorType\":\"Error\"}".getBytes(StandardCharsets.UTF_8));
        }
        return new FakeService.Answer(200, Map.of("Content-Type", "application/json", "X-Amz-Executed-Version", "$LATEST"),
                ("{\"echo\":" + request.text() + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static FakeService.Answer jsonRefusal(SigV4Verifier.Verdict verdict) {
        return new FakeService.Answer(403, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "InvalidSignatureException"),
                "{\"message\":\"The request signature we calculated does not match the signature you provided.\"}".getBytes(StandardCharsets.UTF_8));
    }

    static String etag(byte[] body) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
