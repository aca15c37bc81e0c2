package dev.thimble.runtime.functions;

import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code utils.crypto} and {@code utils.jwt}, checked against published test vectors. */
class UtilsTest {
    /** The jwt.io example: HS256, secret "your-256-bit-secret". */
    private static final String JWT_IO = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                        .function("eval", "exports = function(source) { return (0, eval)(source); };")
                        .build())
                .clock(Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC))
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Object eval(String source) {
        return value(engine, "eval", new BsonString(source));
    }

    @Test
    void hashGivesABinaryDigest() {
        assertThat(eval("""
                [utils.crypto.hash('sha256', 'abc').toHex(), utils.crypto.hash('sha1', 'abc').toHex(),
                 utils.crypto.hash('md5', BSON.Binary.fromText('abc')).toHex(), utils.crypto.hash('sha256', 'abc') instanceof BSON.Binary]
                """)).isEqualTo(ejson("""
                ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "a9993e364706816aba3e25717850c26c9cd0d89d",
                 "900150983cd24fb0d6963f7d28e17f72", true]
                """));
    }

    @Test
    void hmacGivesHexOrBase64() {
        // RFC 4231 test case 2
        assertThat(eval("""
                [utils.crypto.hmac('what do ya want for nothing?', 'Jefe', 'sha256', 'hex'),
                 utils.crypto.hmac('what do ya want for nothing?', 'Jefe', 'sha256', 'base64')]
                """)).isEqualTo(ejson("""
                ["5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="]
                """));
    }

    @Test
    void encryptThenDecryptGivesTheMessageBack() {
        assertThat(eval("""
                const key = '0123456789abcdef0123456789abcdef';
                const sealed = utils.crypto.encrypt('aes', 'attack at dawn', key);
                [sealed instanceof BSON.Binary, utils.crypto.decrypt('aes', sealed, key).text(),
                 utils.crypto.encrypt('aes', 'attack at dawn', key).toBase64() !== sealed.toBase64()]
                """)).isEqualTo(ejson("[true, \"attack at dawn\", true]"));
    }

    @Test
    void decryptingWithTheWrongKeyFailsClearly() {
        FunctionResult result = run(engine, "eval", new BsonString("""
                const sealed = utils.crypto.encrypt('aes', 'secret', '0123456789abcdef');
                utils.crypto.decrypt('aes', sealed, 'fedcba9876543210')
                """));
        assertThat(result.error().message()).isEqualTo("utils.crypto.decrypt: wrong key, or the message was altered");
    }

    @Test
    void aKeyOfTheWrongLengthIsRefused() {
        assertThat(run(engine, "eval", new BsonString("utils.crypto.encrypt('aes', 'm', 'short')")).error().message())
                .isEqualTo("utils.crypto.encrypt: an aes key must be 16, 24 or 32 bytes long, this one has 5");
    }

    @Test
    void jwtEncodeMatchesTheReferenceToken() {
        assertThat(eval("utils.jwt.encode('HS256', { sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'your-256-bit-secret')"))
                .isEqualTo(new BsonString(JWT_IO));
    }

    @Test
    void jwtDecodeVerifiesAndReturnsThePayloadOrHeaderAndPayload() {
        assertThat(eval("utils.jwt.decode('" + JWT_IO + "', 'your-256-bit-secret', true)")).isEqualTo(ejson("""
                {"header": {"alg": "HS256", "typ": "JWT"}, "payload": {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}}
                """));
        assertThat(eval("utils.jwt.decode('" + JWT_IO + "', 'your-256-bit-secret').name")).isEqualTo(new BsonString("John Doe"));
    }

    @Test
    void jwtDecodeRejectsABadSignatureAndAnExpiredToken() {
        assertThat(run(engine, "eval", new BsonString("utils.jwt.decode('" + JWT_IO + "', 'wrong')")).error().message())
                .isEqualTo("utils.jwt.decode: invalid signature");
        assertThat(run(engine, "eval", new BsonString("utils.jwt.decode(utils.jwt.encode('HS256', { exp: 1600000000 }, 's'), 's')"))
                .error().message()).isEqualTo("utils.jwt.decode: the token has expired");
    }

    @Test
    void unsupportedAlgorithmsSaySo() {
        assertThat(run(engine, "eval", new BsonString("utils.jwt.encode('none', {}, 'k')")).error().message())
                .isEqualTo("utils.jwt: unsupported algorithm 'none' (use HS256/384/512, RS256/384/512, PS256/384/512 or ES256/384/512)");
        assertThat(run(engine, "eval", new BsonString("utils.crypto.hash('sha3', 'x')")).error().message())
                .isEqualTo("utils.crypto.hash: unsupported algorithm 'sha3' (use sha1, sha256, sha512 or md5)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS512", "PS256", "ES256", "ES384"})
    void asymmetricTokensSignedInAFunctionVerifyWithAnIndependentLibraryAndBack(String alg) throws Exception {
        boolean ec = alg.startsWith("ES");
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
        if (ec) {
            generator.initialize(new ECGenParameterSpec(alg.equals("ES256") ? "secp256r1" : "secp384r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());

        String token = ((BsonString) eval("utils.jwt.encode('" + alg + "', { sub: 'alice', n: 1 }, " + quoted(privatePem) + ")")).getValue();
        SignedJWT parsed = SignedJWT.parse(token);
        JWSVerifier verifier = ec ? new ECDSAVerifier((ECPublicKey) pair.getPublic()) : new RSASSAVerifier((RSAPublicKey) pair.getPublic());
        assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo(alg);
        assertThat(parsed.verify(verifier)).as("nimbus verifies the function's token").isTrue();
        assertThat(parsed.getJWTClaimsSet().getSubject()).isEqualTo("alice");

        JWSSigner signer = ec ? new ECDSASigner((ECPrivateKey) pair.getPrivate()) : new RSASSASigner(pair.getPrivate());
        SignedJWT foreign = new SignedJWT(new JWSHeader(JWSAlgorithm.parse(alg)), new JWTClaimsSet.Builder().subject("bob").build());
        foreign.sign(signer);
        assertThat(eval("utils.jwt.decode('" + foreign.serialize() + "', " + quoted(publicPem) + ").sub")).isEqualTo(new BsonString("bob"));

        String tampered = token.substring(0, token.lastIndexOf('.') + 1) + foreign.serialize().substring(foreign.serialize().lastIndexOf('.') + 1);
        assertThat(run(engine, "eval", new BsonString("utils.jwt.decode('" + tampered + "', " + quoted(publicPem) + ")")).error().message())
                .isEqualTo("utils.jwt.decode: invalid signature");
    }

    @Test
    void aPkcs1KeySaysHowToConvertIt() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----";
        assertThat(run(engine, "eval", new BsonString("utils.jwt.encode('RS256', {}, '" + pkcs1 + "')")).error().message())
                .contains("convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A JavaScript string literal of {@code text}. */
    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("\n", "\\n").replace("'", "\\'") + "'";
    }
}
