package dev.thimble.runtime.functions;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM keys for {@code utils.jwt}: PKCS#8 private keys, X.509 public keys and certificates (what the JDK reads without extra libraries). */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        Matcher m = block(pem, "utils.jwt.encode");
        return switch (m.group(1)) {
            case "PRIVATE KEY" -> KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(body(m)));
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new UserError("utils.jwt.encode: the key is in the " + m.group(1)
                    + " format; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in key.pem) and pass the BEGIN PRIVATE KEY block");
            default -> throw new UserError("utils.jwt.encode: expected a PEM private key (BEGIN PRIVATE KEY), got BEGIN " + m.group(1));
        };
    }

    static PublicKey publicKey(String pem, String algorithm) throws GeneralSecurityException {
        Matcher m = block(pem, "utils.jwt.decode");
        return switch (m.group(1)) {
            case "PUBLIC KEY" -> KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(body(m)));
            case "CERTIFICATE" -> CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(body(m))).getPublicKey();
            default -> throw new UserError("utils.jwt.decode: expected a PEM public key (BEGIN PUBLIC KEY) or certificate, got BEGIN " + m.group(1));
        };
    }

    private static Matcher block(String pem, String what) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new UserError(what + ": for RS/PS/ES algorithms the key must be a PEM block (-----BEGIN ...-----)");
        }
        return m;
    }

    private static byte[] body(Matcher m) {
        return Base64.getMimeDecoder().decode(m.group(2));
    }
}
