package dev.thimble.runtime.services.thirdparty;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signer against the examples AWS publishes, each with the values copied from where it appears:
 * <ul>
 * <li>the Signature Version 4 test suite, cases {@code get-vanilla} and {@code get-vanilla-query-order-key-case}
 *     (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html; the files are kept in
 *     awslabs/aws-c-auth under tests/aws-signing-test-suite/v4/);</li>
 * <li>the IAM {@code ListUsers} walk-through of the signing guide (docs.aws.amazon.com/general/latest/gr/
 *     sigv4-calculate-signature.html, now docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html),
 *     which also publishes the canonical request's hash and the derived key;</li>
 * <li>the S3 header-authentication examples, GET Object with a Range and PUT Object
 *     (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).</li>
 * </ul>
 */
class SigV4Test {
    private static final SigV4.Credentials SUITE = new SigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4.Credentials S3_DOCS = new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static final Instant S3_TIME = Instant.parse("2013-05-24T00:00:00Z");

    @Test
    void getVanillaMatchesTheTestSuite() {
        SigV4.Signed signed = SigV4.sign(SUITE, "us-east-1", "service", "GET", URI.create("https://example.amazonaws.com/"),
                Map.of(), SigV4.EMPTY_SHA256, SUITE_TIME);

        assertThat(signed.canonicalRequest()).isEqualTo("""
                GET
                /

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(signed.stringToSign()).isEqualTo("""
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63""");
        assertThat(signed.headers()).containsEntry("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
                + "us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThat(signed.headers()).containsEntry("x-amz-date", "20150830T123600Z");
    }

    @Test
    void queryParametersAreSortedBeforeSigningAsInTheTestSuite() {
        SigV4.Signed signed = SigV4.sign(SUITE, "us-east-1", "service", "GET",
                URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"), Map.of(), SigV4.EMPTY_SHA256, SUITE_TIME);

        assertThat(signed.signature()).isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void iamListUsersMatchesTheSigningGuideStepByStep() {
        SigV4.Signed signed = SigV4.sign(SUITE, "us-east-1", "iam", "GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), SigV4.EMPTY_SHA256, SUITE_TIME);

        assertThat(SigV4.sha256Hex(signed.canonicalRequest().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(SigV4.hex(SigV4.signingKey(SUITE.secretAccessKey(), "20150830", "us-east-1", "iam")))
                .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
        assertThat(signed.headers().get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
                + "us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void s3GetObjectWithRangeMatchesTheS3Example() {
        SigV4.Signed signed = SigV4.sign(S3_DOCS, "us-east-1", "s3", "GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("Range", "bytes=0-9", "x-amz-content-sha256", SigV4.EMPTY_SHA256), SigV4.EMPTY_SHA256, S3_TIME);

        assertThat(signed.stringToSign()).endsWith("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        assertThat(signed.headers().get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                + "us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void s3PutObjectWithAnEncodedKeyMatchesTheS3Example() {
        String payloadHash = SigV4.sha256Hex("Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Date", "Fri, 24 May 2013 00:00:00 GMT");
        headers.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
        headers.put("x-amz-content-sha256", payloadHash);
        URI uri = URI.create("https://examplebucket.s3.amazonaws.com/" + SigV4.encodeKey("test$file.text"));

        SigV4.Signed signed = SigV4.sign(S3_DOCS, "us-east-1", "s3", "PUT", uri, headers, payloadHash, S3_TIME);

        assertThat(payloadHash).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        assertThat(uri.getRawPath()).isEqualTo("/test%24file.text");
        assertThat(signed.signature()).isEqualTo("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    }

    @Test
    void encodingLeavesOnlyUnreservedCharactersAsTheyAre() {
        assertThat(SigV4.encode("a b+c*~-_./é")).isEqualTo("a%20b%2Bc%2A~-_.%2F%C3%A9");
        assertThat(SigV4.encodeKey("photos/2024/a b.jpg")).isEqualTo("photos/2024/a%20b.jpg");
    }
}
