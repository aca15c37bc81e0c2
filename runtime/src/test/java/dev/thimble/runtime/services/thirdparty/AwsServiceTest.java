package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code aws} service type against a loopback AWS that checks every request's signature with the secret. */
class AwsServiceTest {
    private final FakeAws aws = new FakeAws();
    private FakeService fake;
    private ConfiguredService service;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeService(aws::handle);
        service = aws(FakeAws.SECRET);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ConfiguredService aws(String secret) {
        return Services.configured("myAws", "aws", "{\"accessKeyId\": \"" + FakeAws.ACCESS_KEY + "\", \"region\": \"us-east-1\","
                + " \"base_url\": \"" + fake.url() + "\"}", secret == null ? Map.of() : Map.of("secretAccessKey", secret));
    }

    @Test
    void putObjectSendsASignedPutOfTheBodyAndReturnsTheETag() {
        BsonValue result = Services.call(service, "s3:PutObject", """
                {"Bucket": "photos", "Key": "2026/march/a b.txt", "Body": "hello S3", "ContentType": "text/plain", "ACL": "public-read"}""");

        FakeService.Received put = fake.only();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/photos/2026/march/a%20b.txt");
        assertThat(put.text()).isEqualTo("hello S3");
        assertThat(put.header("Content-Type")).isEqualTo("text/plain");
        assertThat(put.header("x-amz-acl")).isEqualTo("public-read");
        assertThat(put.header("x-amz-date")).isEqualTo("20260314T092653Z");
        assertThat(put.header("x-amz-content-sha256")).isEqualTo(SigV4Verifier.hex(SigV4Verifier.sha256("hello S3".getBytes(StandardCharsets.UTF_8))));
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.service()).isEqualTo("s3");
        assertThat(aws.lastVerdict.region()).isEqualTo("us-east-1");
        assertThat(aws.lastVerdict.accessKeyId()).isEqualTo(FakeAws.ACCESS_KEY);
        assertThat(aws.lastVerdict.signedHeaders()).isEqualTo("content-type;host;x-amz-acl;x-amz-content-sha256;x-amz-date");
        assertThat(result).isEqualTo(new BsonDocument("ETag", new BsonString(FakeAws.etag("hello S3".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void putObjectSendsABinaryBodyByteForByte() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 10, 13};
        BsonDocument args = new BsonDocument("Bucket", new BsonString("photos")).append("Key", new BsonString("a.png"))
                .append("Body", new BsonBinary(png)).append("Metadata", new BsonDocument("owner", new BsonString("ada")));

        Services.call(service, "s3:PutObject", args, null);

        assertThat(fake.only().body()).isEqualTo(png);
        assertThat(fake.only().header("x-amz-meta-owner")).isEqualTo("ada");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
    }

    @Test
    void getObjectReturnsTheBodyAsBinaryWithItsContentType() {
        Services.call(service, "s3:PutObject", """
                {"Bucket": "docs", "Key": "notes.json", "Body": "{\\"a\\": 1}", "ContentType": "application/json"}""");

        BsonValue result = Services.call(service, "s3:GetObject", "{\"Bucket\": \"docs\", \"Key\": \"notes.json\"}");

        FakeService.Received get = fake.received().get(1);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.path()).isEqualTo("/docs/notes.json");
        assertThat(get.header("x-amz-content-sha256")).isEqualTo(SigV4.EMPTY_SHA256);
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        byte[] body = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        assertThat(result).isEqualTo(new BsonDocument("Body", new BsonBinary(body))
                .append("ContentLength", new BsonInt64(body.length))
                .append("ContentType", new BsonString("application/json"))
                .append("ETag", new BsonString(FakeAws.etag(body)))
                .append("LastModified", new BsonDateTime(Instant.parse("2009-10-12T17:50:00Z").toEpochMilli())));
    }

    @Test
    void deleteObjectSendsASignedDeleteAndTheObjectIsGone() {
        Services.call(service, "s3:PutObject", "{\"Bucket\": \"docs\", \"Key\": \"old.txt\", \"Body\": \"x\"}");

        BsonValue result = Services.call(service, "s3:DeleteObject", "{\"Bucket\": \"docs\", \"Key\": \"old.txt\"}");

        assertThat(fake.received().get(1).method()).isEqualTo("DELETE");
        assertThat(fake.received().get(1).path()).isEqualTo("/docs/old.txt");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.objects).isEmpty();
        assertThat(result).isEqualTo(new BsonDocument());
    }

    @Test
    void aMissingObjectIsS3sNoSuchKeyError() {
        assertThatThrownBy(() -> Services.call(service, "s3:GetObject", "{\"Bucket\": \"docs\", \"Key\": \"gone.txt\"}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("aws service \"myAws\", s3:GetObject: S3 refused the request (404 NoSuchKey): The specified key does not exist.");
    }

    @Test
    void aWrongSecretIsRefusedByS3WithItsMessageAndTheSecretIsNotInIt() {
        ConfiguredService wrong = aws("not-the-right-secret");

        assertThatThrownBy(() -> Services.call(wrong, "s3:PutObject", "{\"Bucket\": \"b1b\", \"Key\": \"k\", \"Body\": \"x\"}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessageStartingWith("aws service \"myAws\", s3:PutObject: S3 refused the request (403 SignatureDoesNotMatch): "
                        + "The request signature we calculated does not match")
                .message().doesNotContain("not-the-right-secret");
        assertThat(aws.lastVerdict.valid()).isFalse();
        assertThat(aws.objects).isEmpty();
    }

    @Test
    void aSecretEchoedByTheServiceIsMaskedInTheError() {
        assertThatThrownBy(() -> Services.call(service, "s3:GetObject", "{\"Bucket\": \"leaky-proxy\", \"Key\": \"k\"}"))
                .hasMessage("aws service \"myAws\", s3:GetObject: S3 refused the request (400 InvalidRequest): bad key pair "
                        + FakeAws.ACCESS_KEY + ":****");
    }

    @Test
    void theRegionTheFunctionPicksIsTheSignedRegion() {
        Services.call(service, "s3:PutObject", BsonDocument.parse("{\"Bucket\": \"eu-photos\", \"Key\": \"k\", \"Body\": \"x\"}"), "eu-west-1");

        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(fake.only().header("Authorization")).contains("/20260314/eu-west-1/s3/aws4_request");
    }

    @Test
    void sendEmailPostsTheSesQueryFormAndReturnsTheMessageId() {
        BsonValue result = Services.call(service, "ses:SendEmail", """
                {"Source": "app@example.com",
                 "Destination": {"ToAddresses": ["ada@example.com", "grace@example.com"], "CcAddresses": ["boss@example.com"]},
                 "Message": {"Subject": {"Data": "Your order & more"},
                             "Body": {"Text": {"Data": "Shipped today."}, "Html": {"Data": "<b>Shipped</b> today.", "Charset": "UTF-8"}}}}""");

        FakeService.Received post = fake.only();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/");
        assertThat(post.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.service()).isEqualTo("ses");
        assertThat(post.form()).isEqualTo(Map.of(
                "Action", List.of("SendEmail"),
                "Version", List.of("2010-12-01"),
                "Source", List.of("app@example.com"),
                "Destination.ToAddresses.member.1", List.of("ada@example.com"),
                "Destination.ToAddresses.member.2", List.of("grace@example.com"),
                "Destination.CcAddresses.member.1", List.of("boss@example.com"),
                "Message.Subject.Data", List.of("Your order & more"),
                "Message.Body.Text.Data", List.of("Shipped today."),
                "Message.Body.Html.Data", List.of("<b>Shipped</b> today."),
                "Message.Body.Html.Charset", List.of("UTF-8")));
        assertThat(result).isEqualTo(new BsonDocument("MessageId", new BsonString("000001271b15238a-fd3ae762-2563-11df-8cd4-6d4e828a9ae8-000000")));
    }

    @Test
    void sesRejectionIsRelayedWithItsCodeAndMessage() {
        assertThatThrownBy(() -> Services.call(service, "ses:SendEmail", """
                {"Source": "x@unverified.example", "Destination": {"ToAddresses": ["a@example.com"]},
                 "Message": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}}"""))
                .isInstanceOf(ServiceCallException.class)
                .hasMessage("aws service \"myAws\", ses:SendEmail: SES refused the request (400 MessageRejected): Email address is not"
                        + " verified. The following identities failed the check in region US-EAST-1: x@unverified.example");
    }

    @Test
    void putRecordSendsKinesisJsonWithBase64DataAndReturnsTheSequenceNumber() {
        BsonValue result = Services.call(service, "kinesis:PutRecord", """
                {"StreamName": "orders", "Data": "order 42 paid", "PartitionKey": "customer-7"}""");

        FakeService.Received post = fake.only();
        assertThat(post.header("X-Amz-Target")).isEqualTo("Kinesis_20131202.PutRecord");
        assertThat(post.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.service()).isEqualTo("kinesis");
        assertThat(BsonDocument.parse(post.text())).isEqualTo(new BsonDocument("StreamName", new BsonString("orders"))
                .append("Data", new BsonString(Base64.getEncoder().encodeToString("order 42 paid".getBytes(StandardCharsets.UTF_8))))
                .append("PartitionKey", new BsonString("customer-7")));
        assertThat(result).isEqualTo(new BsonDocument("ShardId", new BsonString("shardId-000000000001"))
                .append("SequenceNumber", new BsonString("21269319989653637946712965403778482371")));
    }

    @Test
    void kinesisErrorsAreRelayedFromTheirJson() {
        assertThatThrownBy(() -> Services.call(service, "kinesis:PutRecord", """
                {"StreamName": "missing", "Data": "x", "PartitionKey": "p"}"""))
                .hasMessage("aws service \"myAws\", kinesis:PutRecord: Kinesis refused the request (400 ResourceNotFoundException):"
                        + " Stream missing under account 123 not found.");
    }

    @Test
    void invokeCallsTheLambdaAndReturnsItsPayload() {
        BsonValue result = Services.call(service, "lambda:Invoke", "{\"FunctionName\": \"resize\", \"Payload\": \"{\\\"w\\\":64}\"}");

        FakeService.Received post = fake.only();
        assertThat(post.path()).isEqualTo("/2015-03-31/functions/resize/invocations");
        assertThat(post.text()).isEqualTo("{\"w\":64}");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.service()).isEqualTo("lambda");
        assertThat(result).isEqualTo(new BsonDocument("StatusCode", new BsonInt32(200))
                .append("Payload", new BsonBinary("{\"echo\":{\"w\":64}}".getBytes(StandardCharsets.UTF_8)))
                .append("ExecutedVersion", new BsonString("$LATEST")));
    }

    @Test
    void aFailedLambdaIsAResultWithFunctionErrorAsInTheSdk() {
        BsonDocument result = Services.call(service, "lambda:Invoke", "{\"FunctionName\": \"resize\", \"Payload\": \"{\\\"fail\\\":true}\"}")
                .asDocument();

        assertThat(result.getString("FunctionError").getValue()).isEqualTo("Unhandled");
        assertThat(new String(result.getBinary("Payload").getData(), StandardCharsets.UTF_8)).contains("boom");
    }

    @Test
    void anInvocationTypeThatIsNotAHeaderValueIsAnErrorNotACrash() {
        assertThatThrownBy(() -> Services.call(service, "lambda:Invoke", "{\"FunctionName\": \"f\", \"InvocationType\": \"Event\\nX: y\"}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessageStartingWith("aws service \"myAws\", lambda:Invoke: an argument cannot be sent as an HTTP header value");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void anAsynchronousInvokeReturnsStatus202AndNoPayload() {
        BsonValue result = Services.call(service, "lambda:Invoke", "{\"FunctionName\": \"resize\", \"InvocationType\": \"Event\"}");

        assertThat(fake.only().header("X-Amz-Invocation-Type")).isEqualTo("Event");
        assertThat(aws.lastVerdict.signedHeaders()).isEqualTo("content-type;host;x-amz-date;x-amz-invocation-type");
        assertThat(result).isEqualTo(new BsonDocument("StatusCode", new BsonInt32(202)).append("Payload", new BsonBinary(new byte[0])));
    }

    @Test
    void anUnknownLambdaIsLambdasNotFoundError() {
        assertThatThrownBy(() -> Services.call(service, "lambda:Invoke", "{\"FunctionName\": \"missing\"}"))
                .hasMessage("aws service \"myAws\", lambda:Invoke: Lambda refused the request (404 User): Function not found:"
                        + " arn:aws:lambda:us-east-1:123:function:missing");
    }

    @Test
    void aMissingSecretIsAnErrorBeforeAnyRequest() {
        ConfiguredService noSecret = aws(null);

        assertThatThrownBy(() -> Services.call(noSecret, "s3:PutObject", "{\"Bucket\": \"b1b\", \"Key\": \"k\", \"Body\": \"x\"}"))
                .isInstanceOf(ServiceCallException.class)
                .hasMessageContaining("aws service \"myAws\": the secret for secret_config.secretAccessKey has no value");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void aMissingArgumentIsNamedAndNothingIsSent() {
        assertThatThrownBy(() -> Services.call(service, "s3:PutObject", "{\"Key\": \"k\", \"Body\": \"x\"}"))
                .hasMessage("aws service \"myAws\", s3:PutObject: the argument \"Bucket\" is missing; pass it as a non-empty string");
        assertThatThrownBy(() -> Services.call(service, "ses:SendEmail", "{\"Source\": \"a@example.com\", \"Message\": {}}"))
                .hasMessage("aws service \"myAws\", ses:SendEmail: Destination needs at least one address in ToAddresses,"
                        + " CcAddresses or BccAddresses");
        assertThatThrownBy(() -> Services.call(service, "ses:SendEmail", """
                {"Source": "a@example.com", "Destination": {"ToAddresses": ["b@example.com"]},
                 "Message": {"Subject": {}, "Body": {"Text": {"Data": "t"}}}}"""))
                .hasMessage("aws service \"myAws\", ses:SendEmail: the argument \"Message.Subject.Data\" is missing;"
                        + " pass it as a non-empty string");
        assertThatThrownBy(() -> Services.call(service, "s3:PutObject", """
                {"Bucket": "abc", "Key": "k", "Body": "x", "ContentType": "text/plain\\r\\nx-amz-acl: public-read"}"""))
                .hasMessage("aws service \"myAws\", s3:PutObject: the argument \"ContentType\" must be a single line");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void aBucketNameThatWouldChangeTheHostIsRefused() {
        assertThatThrownBy(() -> Services.call(service, "s3:GetObject", "{\"Bucket\": \"evil.example.com/x@\", \"Key\": \"k\"}"))
                .hasMessageContaining("is not an S3 bucket name");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void withoutARegionTheErrorSaysWhereToSetOne() {
        ConfiguredService noRegion = Services.configured("myAws", "aws", "{\"accessKeyId\": \"AKID\"}", Map.of("secretAccessKey", "s3cr3t!!"));

        assertThatThrownBy(() -> Services.call(noRegion, "s3:GetObject", "{\"Bucket\": \"abc\", \"Key\": \"k\"}"))
                .hasMessage("aws service \"myAws\", s3:GetObject: no AWS region; pick one in the call (e.g. svc.s3(\"us-east-1\"))"
                        + " or set config.region in services/myAws/config.json");
    }

    @Test
    void anUnknownActionListsTheActionsThereAre() {
        assertThatThrownBy(() -> Services.call(service, "s3:DeleteBucket", "{}"))
                .hasMessage("aws service \"myAws\", s3:DeleteBucket: the aws service type has no action \"s3:DeleteBucket\"; it offers"
                        + " s3:PutObject, s3:GetObject, s3:DeleteObject, ses:SendEmail, kinesis:PutRecord, lambda:Invoke");
    }

    @Test
    void withoutABaseUrlRequestsGoToTheRealRegionalEndpoints() {
        AwsAccount real = new AwsAccount(new SigV4.Credentials("AKID", "x"), "eu-west-1", null);

        assertThat(S3Objects.objectUrl(real, "photos", "a/b c.png")).isEqualTo("https://photos.s3.eu-west-1.amazonaws.com/a/b%20c.png");
        assertThat(S3Objects.objectUrl(real, "www.example.com", "i.html")).isEqualTo("https://s3.eu-west-1.amazonaws.com/www.example.com/i.html");
        assertThat(real.endpoint("email.eu-west-1.amazonaws.com")).isEqualTo("https://email.eu-west-1.amazonaws.com");
    }
}
