package dev.thimble.runtime.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The changesets of an {@code upload} message's body (protocol 14), each after a text header
 * {@code <client version> <last integrated server version> <origin timestamp> <origin file> <size> } and then
 * {@code size} bytes of changeset.
 */
final class UploadChangesets {
    private UploadChangesets() {
    }

    /** One changeset with its header. */
    record Framed(long clientVersion, long serverVersionSeen, long timestamp, byte[] changeset) {
    }

    static List<Framed> split(byte[] body) {
        List<Framed> out = new ArrayList<>();
        int pos = 0;
        while (pos < body.length) {
            long[] header = new long[5];
            for (int i = 0; i < 5; i++) {
                int space = pos;
                while (space < body.length && body[space] != ' ') {
                    space++;
                }
                header[i] = Long.parseLong(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
                pos = space + 1;
            }
            int size = (int) header[4];
            out.add(new Framed(header[0], header[1], header[2], Arrays.copyOfRange(body, pos, pos + size)));
            pos += size;
        }
        return out;
    }
}
