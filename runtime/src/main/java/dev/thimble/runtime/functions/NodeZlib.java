package dev.thimble.runtime.functions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * The JDK side of the {@code zlib} built-in: deflate (zlib, raw) and gzip, both ways, over whole
 * buffers (Latin-1 strings). Output is bounded so a small compressed input cannot fill the heap.
 */
final class NodeZlib {
    /** The most one call may inflate to. */
    static final int MAX_OUTPUT = 64 * 1024 * 1024;

    private NodeZlib() {
    }

    static String process(String op, String data, int level) {
        byte[] in = NodeCrypto.bytes(data);
        try {
            byte[] out = switch (op) {
                case "deflate" -> deflate(in, level, false);
                case "deflateRaw" -> deflate(in, level, true);
                case "gzip" -> gzip(in, level);
                case "inflate" -> inflate(in, false);
                case "inflateRaw" -> inflate(in, true);
                case "gunzip" -> gunzip(in);
                case "unzip" -> in.length >= 2 && (in[0] & 0xff) == 0x1f && (in[1] & 0xff) == 0x8b ? gunzip(in) : inflate(in, false);
                default -> throw new UserError("Error", "zlib: unknown operation " + op);
            };
            return NodeCrypto.latin1(out);
        } catch (DataFormatException | IOException e) {
            String message = e instanceof java.util.zip.ZipException || e instanceof DataFormatException
                    ? (op.equals("gunzip") ? "incorrect header check" : e.getMessage() == null ? "invalid data" : e.getMessage())
                    : "unexpected end of file";
            throw new UserError("Error", message);
        }
    }

    private static byte[] deflate(byte[] in, int level, boolean raw) {
        Deflater deflater = new Deflater(level < -1 || level > 9 ? Deflater.DEFAULT_COMPRESSION : level, raw);
        try {
            deflater.setInput(in);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 2));
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] in, boolean raw) throws DataFormatException {
        Inflater inflater = new Inflater(raw);
        try {
            inflater.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length * 2));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("unexpected end of file");
                }
                bounded(out, n);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static byte[] gzip(byte[] in, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 2));
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level < -1 || level > 9 ? Deflater.DEFAULT_COMPRESSION : level);
            }
        }) {
            gz.write(in);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] in) throws IOException {
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length * 2));
            byte[] buffer = new byte[8192];
            for (int n; (n = gz.read(buffer)) != -1; ) {
                bounded(out, n);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static void bounded(ByteArrayOutputStream out, int more) {
        if ((long) out.size() + more > MAX_OUTPUT) {
            throw new UserError("RangeError", "zlib: the output would be larger than " + MAX_OUTPUT + " bytes, the most a function may inflate at once");
        }
    }
}
