package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The 2017–18 {@code aws-s3} and {@code aws-ses} types, against the same signature-checking loopback AWS. */
class LegacyAwsTest {
    private final FakeAws aws = new FakeAws();
    private FakeService fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeService(aws::handle);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ConfiguredService service(String type, String baseUrl) {
        return Services.configured("legacy", type, "{\"accessKeyId\": \"" + FakeAws.ACCESS_KEY + "\", \"region\": \"us-west-2\""
                + (baseUrl == null ? "" : ", \"base_url\": \"" + baseUrl + "\"") + "}", Map.of("secretAccessKey", FakeAws.SECRET));
    }

    @Test
    void putUploadsASignedObjectAndReturnsItsLocationAndETag() {
        BsonValue result = Services.call(service("aws-s3", fake.url()), "put", """
                {"bucket": "avatars", "key": "u/42.txt", "acl": "private", "contentType": "text/plain", "body": "hi"}""");

        FakeService.Received put = fake.only();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/avatars/u/42.txt");
        assertThat(put.header("x-amz-acl")).isEqualTo("private");
        assertThat(put.header("Content-Type")).isEqualTo("text/plain");
        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.region()).isEqualTo("us-west-2");
        assertThat(result).isEqualTo(new BsonDocument("location", new BsonString(fake.url() + "/avatars/u/42.txt"))
                .append("etag", new BsonString(FakeAws.etag("hi".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void signPolicyReturnsAPostPolicyThatS3WouldAccept() throws Exception {
        BsonDocument result = Services.call(service("aws-s3", null), "signPolicy", """
                {"bucket": "avatars", "key": "u/42.png", "acl": "public-read", "contentType": "image/png"}""").asDocument();

        String credential = FakeAws.ACCESS_KEY + "/20260314/us-west-2/s3/aws4_request";
        assertThat(result.keySet()).containsExactly("policy", "signature", "algorithm", "date", "credential");
        assertThat(result.getString("algorithm").getValue()).isEqualTo("AWS4-HMAC-SHA256");
        assertThat(result.getDateTime("date").getValue()).isEqualTo(Services.NOW.toEpochMilli());
        assertThat(result.getString("credential").getValue()).isEqualTo(credential);
        String policy = result.getString("policy").getValue();
        JsonNode decoded = new ObjectMapper().readTree(Base64.getDecoder().decode(policy));
        assertThat(decoded).isEqualTo(new ObjectMapper().readTree("""
                {"expiration": "2026-03-14T10:26:53.000Z",
                 "conditions": [{"bucket": "avatars"}, {"key": "u/42.png"}, {"acl": "public-read"}, {"Content-Type": "image/png"},
                                {"x-amz-credential": "%s"}, {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-date": "20260314T092653Z"}]}"""
                .formatted(credential)));
        // What S3 computes on receiving the form: the HMAC chain over the base64 policy, done here with javax.crypto.
        byte[] key = SigV4Verifier.mac(("AWS4" + FakeAws.SECRET).getBytes(StandardCharsets.UTF_8), "20260314");
        key = SigV4Verifier.mac(SigV4Verifier.mac(SigV4Verifier.mac(key, "us-west-2"), "s3"), "aws4_request");
        assertThat(result.getString("signature").getValue()).isEqualTo(SigV4Verifier.hex(SigV4Verifier.mac(key, policy)));
        assertThat(fake.received()).isEmpty();
    }

    /** AWS's browser-upload example (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html): its policy and signature. */
    @Test
    void postPolicySignatureMatchesTheS3BrowserUploadExample() {
        String policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDEzLTA4LTA3VDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNlcjEvIl0sDQogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwNCiAgICB7InN1Y2Nlc3NfYWN0aW9uX3JlZGlyZWN0IjogImh0dHA6Ly9leGFtcGxlYnVja2V0LnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc2Z1bF91cGxvYWQuaHRtbCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwNCiAgICB7IngtYW16LW1ldGEtdXVpZCI6ICIxNDM2NTEyMzY1MTI3NCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJHgtYW16LW1ldGEtdGFnIiwgIiJdLA0KDQogICAgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwNCiAgICB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sDQogICAgeyJ4LWFtei1kYXRlIjogIjIwMTMwODA2VDAwMDAwMFoiIH0NCiAgXQ0KfQ==";

        assertThat(S3PostPolicy.signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130806", "us-east-1", policy))
                .isEqualTo("21496b44de44ccb73d545f1a995c68214c9cb0d41c45a17a5daeec0b1a6db047");
    }

    @Test
    void sesSendMailsOneTextMessageAndReturnsTheMessageId() {
        BsonValue result = Services.call(service("aws-ses", fake.url()), "send", """
                {"fromAddress": "app@example.com", "toAddress": "ada@example.com", "subject": "Welcome", "body": "Hello Ada"}""");

        assertThat(aws.lastVerdict.valid()).as(aws.lastVerdict.reason()).isTrue();
        assertThat(aws.lastVerdict.service()).isEqualTo("ses");
        assertThat(fake.only().form()).isEqualTo(Map.of(
                "Action", List.of("SendEmail"), "Version", List.of("2010-12-01"), "Source", List.of("app@example.com"),
                "Destination.ToAddresses.member.1", List.of("ada@example.com"), "Message.Subject.Data", List.of("Welcome"),
                "Message.Body.Text.Data", List.of("Hello Ada")));
        assertThat(result).isEqualTo(new BsonDocument("messageId", new BsonString("000001271b15238a-fd3ae762-2563-11df-8cd4-6d4e828a9ae8-000000")));
    }

    @Test
    void sesSendWithoutARecipientSaysWhatToPass() {
        assertThatThrownBy(() -> Services.call(service("aws-ses", fake.url()), "send", """
                {"fromAddress": "app@example.com", "subject": "Welcome", "body": "Hello"}"""))
                .hasMessage("aws-ses service \"legacy\", send: the argument \"toAddress\" is missing; pass an e-mail address (or an array of them)");
        assertThat(fake.received()).isEmpty();
    }

    @Test
    void legacyTypesNameTheActionsTheyHave() {
        assertThatThrownBy(() -> Services.call(service("aws-s3", fake.url()), "get", "{}"))
                .hasMessage("aws-s3 service \"legacy\", get: the aws-s3 service type has no action \"get\"; it offers put, signPolicy");
    }
}
