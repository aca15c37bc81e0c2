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
