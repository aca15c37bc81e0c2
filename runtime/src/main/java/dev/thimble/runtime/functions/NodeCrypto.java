package dev.thimble.runtime.functions;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK side of the {@code crypto} built-in: digests, HMACs, random bytes, PBKDF2, AES ciphers and
 * RSA/ECDSA signatures. Bytes cross the boundary as Latin-1 strings (one char per byte), which both
 * sides convert without a table. One instance per execution: it holds that execution's open ciphers.
 */
final class NodeCrypto {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** A function may not hold more open ciphers than this (each update is bounded by the data passed). */
    private static final int MAX_CIPHERS = 1000;

    private final Map<Integer, Cipher> ciphers = new HashMap<>();
    private int nextCipher = 1;

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String digestName(String algorithm) {
        String a = algorithm.toLowerCase(Locale.ROOT).replace("rsa-", "").replace("-", "");
        return switch (a) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "sha512224" -> "SHA-512/224";
            case "sha512256" -> "SHA-512/256";
            case "sha3256" -> "SHA3-256";
            case "sha3384" -> "SHA3-384";
            case "sha3512" -> "SHA3-512";
            default -> throw new UserError("Error", "Digest method not supported: " + algorithm);
        };
    }

    String hash(String algorithm, String data) {
        try {
            return latin1(MessageDigest.getInstance(digestName(algorithm)).digest(bytes(data)));
        } catch (NoSuchAlgorithmException e) {
            throw new UserError("Error", "Digest method not supported: " + algorithm);
        }
    }

    String hmac(String algorithm, String key, String data) {
        String jca = "Hmac" + digestName(algorithm).replace("-", "").replace("/", "");
        try {
            Mac mac = Mac.getInstance(jca);
            byte[] k = bytes(key);
            // a zero-length HMAC key is legal (RFC 2104 pads keys with zeros) but SecretKeySpec refuses it: one zero byte is the same key
            mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, jca));
            return latin1(mac.doFinal(bytes(data)));
        } catch (GeneralSecurityException e) {
            throw new UserError("Error", "Invalid digest: " + algorithm);
        }
    }

    String randomBytes(int size) {
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new UserError("RangeError", "The value of \"size\" is out of range. It must be >= 0 && <= 67108864. Received " + size);
        }
        byte[] out = new byte[size];
        RANDOM.nextBytes(out);
        return latin1(out);
    }

    String randomUUID() {
        return UUID.randomUUID().toString();
    }

    String pbkdf2(String password, String salt, int iterations, int keylen, String digest) {
        if (iterations < 1 || keylen < 0 || keylen > 1 << 20) {
            throw new UserError("RangeError", "pbkdf2: iterations must be >= 1 and keylen between 0 and 1 MiB");
        }
        String jca = "PBKDF2WithHmac" + digestName(digest).replace("-", "");
        try {
            // PBEKeySpec takes chars; the JDK's PBKDF2 encodes them as UTF-8, so the Latin-1 bytes are given as chars < 256 only when ASCII
            byte[] pw = bytes(password);
            Mac mac = Mac.getInstance("Hmac" + digestName(digest).replace("-", ""));
            if (isAscii(pw)) {
                SecretKeyFactory factory = SecretKeyFactory.getInstance(jca);
                char[] chars = new String(pw, StandardCharsets.ISO_8859_1).toCharArray();
                return latin1(factory.generateSecret(new PBEKeySpec(chars, bytes(salt), iterations, keylen * 8)).getEncoded());
            }
            return latin1(pbkdf2(mac, pw, bytes(salt), iterations, keylen));
        } catch (GeneralSecurityException e) {
            throw new UserError("TypeError", "Invalid digest: " + digest);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return bytes.length > 0;
    }

    /** RFC 8018 PBKDF2 for passwords the JDK's char-based key spec cannot carry (binary, empty). */
    private static byte[] pbkdf2(Mac mac, byte[] password, byte[] salt, int iterations, int keylen) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(password.length == 0 ? new byte[mac.getMacLength()] : password, mac.getAlgorithm()));
        int h = mac.getMacLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int block = 1; out.size() < keylen; block++) {
            mac.update(salt);
            mac.update(new byte[]{(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < h; j++) {
                    t[j] ^= u[j];
                }
            }
            out.write(t, 0, Math.min(h, keylen - out.size()));
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ ciphers

    /** Opens a cipher; answers its handle. {@code algorithm} is Node's name, e.g. {@code aes-256-cbc}. */
    int cipherOpen(String algorithm, boolean encrypt, String key, String iv, boolean autoPadding) {
        if (ciphers.size() >= MAX_CIPHERS) {
            throw new UserError("Error", "too many ciphers open in one function (" + MAX_CIPHERS + "); call final() on the ones you are done with");
        }
        String a = algorithm.toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(?:id-)?aes-?(128|192|256)-?(cbc|ecb|ctr|gcm|cfb|ofb|cfb8)?").matcher(a);
        if (!m.matches()) {
            throw new UserError("Error", "Unknown cipher: " + algorithm + " (Thimble functions have AES: aes-128/192/256 with cbc, ecb, ctr, gcm, cfb, cfb8, ofb)");
        }
        int bits = Integer.parseInt(m.group(1));
        String mode = m.group(2) == null ? "cbc" : m.group(2);
        byte[] k = bytes(key);
        if (k.length * 8 != bits) {
            throw new UserError("RangeError", "Invalid key length");
        }
        byte[] v = bytes(iv);
        try {
            String transformation = switch (mode) {
                case "gcm" -> "AES/GCM/NoPadding";
                case "ctr" -> "AES/CTR/NoPadding";
                case "cfb" -> "AES/CFB/NoPadding";
                case "cfb8" -> "AES/CFB8/NoPadding";
                case "ofb" -> "AES/OFB/NoPadding";
                default -> "AES/" + mode.toUpperCase(Locale.ROOT) + "/" + (autoPadding ? "PKCS5Padding" : "NoPadding");
            };
            Cipher cipher = Cipher.getInstance(transformation);
            int opmode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
            SecretKeySpec spec = new SecretKeySpec(k, "AES");
            if (mode.equals("ecb")) {
                cipher.init(opmode, spec);
            } else if (mode.equals("gcm")) {
                if (v.length == 0) {
                    throw new UserError("Error", "Invalid initialization vector");
                }
                cipher.init(opmode, spec, new GCMParameterSpec(128, v));
            } else {
                if (v.length != 16) {
                    throw new UserError("Error", "Invalid initialization vector");
                }
                cipher.init(opmode, spec, new IvParameterSpec(v));
            }
            int id = nextCipher++;
            ciphers.put(id, cipher);
            return id;
        } catch (GeneralSecurityException e) {
            throw new UserError("Error", "cannot create cipher " + algorithm + ": " + e.getMessage());
        }
    }

    void cipherAad(int id, String aad) {
        cipher(id).updateAAD(bytes(aad));
    }

    String cipherUpdate(int id, String data) {
        byte[] out = cipher(id).update(bytes(data));
        return out == null ? "" : latin1(out);
    }

    /** The last bytes; for GCM encryption the 16-byte tag is appended (the JS side splits it off). */
    String cipherFinal(int id, String authTag) {
        Cipher cipher = cipher(id);
        ciphers.remove(id);
        try {
            byte[] out = authTag == null || authTag.isEmpty() ? cipher.doFinal() : cipher.doFinal(bytes(authTag));
            return latin1(out);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UserError("Error", "Unsupported state or unable to authenticate data");
        } catch (javax.crypto.BadPaddingException e) {
            throw new UserError("Error", "bad decrypt");
        } catch (javax.crypto.IllegalBlockSizeException e) {
            throw new UserError("Error", "wrong final block length");
        }
    }

    private Cipher cipher(int id) {
        Cipher cipher = ciphers.get(id);
        if (cipher == null) {
            throw new UserError("Error", "this cipher was already finalized");
        }
        return cipher;
    }

    // ------------------------------------------------------------------ keys and signatures

    /** "rsa" or "ec" for a PEM private (private=true) or public key / certificate; a UserError when it is not one. */
    String keyType(String pem, boolean isPrivate) {
        try {
            java.security.Key key = isPrivate ? privateKey(pem) : publicKey(pem);
            return key instanceof RSAKey ? "rsa" : key instanceof ECKey ? "ec" : key.getAlgorithm().toLowerCase(Locale.ROOT);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UserError("TypeError", "error:0909006C:PEM routines:get_name:no start line (not a PEM " + (isPrivate ? "private" : "public") + " key)");
        }
    }

    String sign(String algorithm, String data, String pem, String padding) {
        try {
            PrivateKey key = privateKey(pem);
            Signature sig = signature(algorithm, key.getAlgorithm(), padding);
            sig.initSign(key);
            sig.update(bytes(data));
            return latin1(sig.sign());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UserError("Error", "sign failed: " + e.getMessage());
        }
    }

    boolean verify(String algorithm, String data, String pem, String signature, String padding) {
        try {
            PublicKey key = publicKey(pem);
            Signature sig = signature(algorithm, key.getAlgorithm(), padding);
            sig.initVerify(key);
            sig.update(bytes(data));
            return sig.verify(bytes(signature));
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UserError("Error", "verify failed: " + e.getMessage());
        }
    }

    private static Signature signature(String algorithm, String keyAlgorithm, String padding) throws GeneralSecurityException {
        String digest = digestName(algorithm).replace("-", "");
        if (keyAlgorithm.equals("EC")) {
            return Signature.getInstance(digest + "withECDSA");
        }
        if ("pss".equals(padding)) {
            Signature pss = Signature.getInstance("RSASSA-PSS");
            String md = digestName(algorithm);
            int saltLength = MessageDigest.getInstance(md).getDigestLength();
            pss.setParameter(new java.security.spec.PSSParameterSpec(md, "MGF1", new java.security.spec.MGF1ParameterSpec(md), saltLength, 1));
            return pss;
        }
        return Signature.getInstance(digest + "withRSA");
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = block(pem);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        return switch (m.group(1)) {
            case "PRIVATE KEY" -> {
                try {
                    yield KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    yield KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                }
            }
            case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
            default -> throw new GeneralSecurityException("expected a PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY), got BEGIN " + m.group(1));
        };
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        Matcher m = block(pem);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        return switch (m.group(1)) {
            case "PUBLIC KEY" -> {
                try {
                    yield KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    yield KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                }
            }
            case "CERTIFICATE" -> java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der)).getPublicKey();
            case "PRIVATE KEY", "RSA PRIVATE KEY" -> {
                PrivateKey priv = privateKey(pem);
                if (priv instanceof java.security.interfaces.RSAPrivateCrtKey crt) {
                    yield KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
                }
                throw new GeneralSecurityException("cannot derive a public key from this private key");
            }
            default -> throw new GeneralSecurityException("expected a PEM public key (BEGIN PUBLIC KEY) or certificate, got BEGIN " + m.group(1));
        };
    }

    private static Matcher block(String pem) throws GeneralSecurityException {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException("not a PEM block");
        }
        return m;
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (what the JDK's KeyFactory reads). */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 128 ? new byte[]{(byte) n}
                : n < 256 ? new byte[]{(byte) 0x81, (byte) n}
                : n < 65536 ? new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
