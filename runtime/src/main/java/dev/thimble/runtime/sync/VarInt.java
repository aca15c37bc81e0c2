package dev.thimble.runtime.sync;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * realm-core's variable-length integers: 7 value bits per byte with the high bit meaning "more",
 * the last byte holding 6 value bits and the sign; a negative {@code v} is stored as {@code -(v+1)}.
 */
final class VarInt {
    private VarInt() {
    }

    static void write(ByteArrayOutputStream out, long value) {
        boolean negative = value < 0;
        long rest = negative ? -(value + 1) : value;
        while ((rest >>> 6) != 0) {
            out.write((int) (0x80 | (rest & 0x7F)));
            rest >>>= 7;
        }
        out.write((int) (negative ? 0x40 | rest : rest));
    }

    static long read(ByteBuffer in) {
        long value = 0;
        int part;
        int shift = 0;
        for (int i = 0; ; i++) {
            if (!in.hasRemaining()) {
                throw new BadChangesetException("the changeset ends inside an integer");
            }
            if (i == 10) {
                throw new BadChangesetException("an integer in the changeset is too long");
            }
            part = in.get() & 0xFF;
            if ((part & 0x80) == 0) {
                value |= (long) (part & 0x3F) << shift;
                break;
            }
            value |= (long) (part & 0x7F) << shift;
            shift += 7;
        }
        return (part & 0x40) != 0 ? -value - 1 : value;
    }
}
