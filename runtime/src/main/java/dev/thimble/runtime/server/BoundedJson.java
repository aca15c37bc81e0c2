package dev.thimble.runtime.server;

import dev.thimble.runtime.errors.ApiError;
import org.bson.BsonValue;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.json.JsonWriter;
import org.bson.json.JsonWriterSettings;

import java.io.Writer;

/**
 * Writes a BSON value as Extended JSON, stopping as soon as its UTF-8 size passes a limit: a
 * function's 200 MB result becomes a ReadSizeLimitExceeded error after writing at most the limit,
 * not a 200 MB body (nor a 200 MB string first).
 */
final class BoundedJson {
    private BoundedJson() {
    }

    /** {@code value} as JSON of at most {@code maxBytes} UTF-8 bytes, else a 400 ReadSizeLimitExceeded naming {@code what}. */
    static String write(BsonValue value, JsonWriterSettings settings, long maxBytes, String what) {
        Bounded out = new Bounded(maxBytes);
        try {
            // the writer writes documents only: {"v": <value>}, unwrapped below
            JsonWriter writer = new JsonWriter(out, settings);
            writer.writeStartDocument();
            writer.writeName("v");
            new BsonValueCodec().encode(writer, value, EncoderContext.builder().build());
            writer.writeEndDocument();
        } catch (TooLarge e) {
            throw new ApiError(400, "ReadSizeLimitExceeded", what + " is larger than this server sends in one response ("
                    + (maxBytes >> 20) + " MB); return less, e.g. page through it with limit and skip");
        }
        String json = out.text.toString();
        return json.substring(json.indexOf(':') + 1, json.lastIndexOf('}')).strip();
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** Collects characters, counting their UTF-8 bytes; throws {@link TooLarge} past the limit. */
    private static final class Bounded extends Writer {
        private final long maxBytes;
        private final StringBuilder text = new StringBuilder();
        private long bytes;

        Bounded(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            if (bytes > maxBytes) {
                throw new TooLarge();
            }
            text.append(chars, offset, length);
        }

        @Override
        public void write(String s, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = s.charAt(i);
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            if (bytes > maxBytes) {
                throw new TooLarge();
            }
            text.append(s, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
