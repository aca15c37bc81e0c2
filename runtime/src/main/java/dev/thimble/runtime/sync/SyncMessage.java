package dev.thimble.runtime.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protocol message: a header line of space-separated fields ending in a newline, followed by a
 * body whose size the header states.
 */
record SyncMessage(String type, String[] fields, byte[] body) {

    /** Splits a received frame into header fields and body (the rest of the frame). */
    static SyncMessage parse(byte[] frame) {
        int newline = -1;
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new ProtocolException(103, "Bad syntax: a message without a header line");
        }
        String[] parts = new String(frame, 0, newline, StandardCharsets.US_ASCII).split(" ");
        return new SyncMessage(parts[0], Arrays.copyOfRange(parts, 1, parts.length),
                Arrays.copyOfRange(frame, newline + 1, frame.length));
    }

    long number(int index) {
        if (index >= fields.length) {
            throw new ProtocolException(103, "Bad syntax in " + type + " message: missing field " + (index + 1));
        }
        try {
            return Long.parseLong(fields[index]);
        } catch (NumberFormatException e) {
            throw new ProtocolException(103, "Bad syntax in " + type + " message: field " + (index + 1) + " is not a number");
        }
    }

    /** The {@code offset..offset+size} part of the body as text. */
    String bodyText(int offset, long size) {
        if (offset + size > body.length) {
            throw new ProtocolException(103, "Bad syntax in " + type + " message: the body is shorter than the header says");
        }
        return new String(body, offset, (int) size, StandardCharsets.UTF_8);
    }

    /** The most an uploaded body may inflate to (a client sends changesets of a few megabytes at most). */
    static final int MAX_INFLATED_BODY = 256 * 1024 * 1024;

    /**
     * The body inflated: realm-core compresses an upload body above 1 KiB with zlib when that makes it
     * smaller, and says so in the header ({@code is_body_compressed}, then the uncompressed size).
     */
    byte[] inflatedBody(long uncompressedSize) {
        if (uncompressedSize < 0 || uncompressedSize > MAX_INFLATED_BODY) {
            throw new ProtocolException(103, "Bad syntax in " + type + " message: an uncompressed body of " + uncompressedSize
                    + " bytes (at most " + MAX_INFLATED_BODY + " are accepted)");
        }
        byte[] out = new byte[(int) uncompressedSize];
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        try {
            inflater.setInput(body);
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int read = inflater.inflate(out, n, out.length - n);
                if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += read;
            }
            if (n != out.length || !inflater.finished()) {
                throw new ProtocolException(103, "Bad syntax in " + type + " message: the compressed body inflates to "
                        + (inflater.finished() ? n + " bytes" : "more or less") + " instead of the " + uncompressedSize + " the header says");
            }
            return out;
        } catch (java.util.zip.DataFormatException e) {
            throw new ProtocolException(103, "Bad syntax in " + type + " message: the body is not zlib-compressed (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    /** A header line plus body, ready to send. */
    static byte[] frame(String header, byte[] body) {
        byte[] head = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** A connection-level protocol error with its code (realm-core {@code ProtocolError}). */
    static final class ProtocolException extends RuntimeException {
        final int code;

        ProtocolException(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
