package dev.thimble.runtime.npm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks npm tarballs and {@code node_modules} archives (.tgz, .tar.gz, .tar, .zip) into a folder:
 * regular files and folders only (links are skipped), every path kept inside the target, and a cap on
 * the total size so a hostile archive cannot fill the disk.
 */
final class Archives {
    /** The most one archive may unpack to. */
    static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;

    private Archives() {
    }

    /** What a caller does with each entry's path: the path to write (relative to the target), or null to skip it. */
    interface PathMap {
        String map(String entryPath);
    }

    static void unpack(Path archive, Path target, PathMap paths) throws IOException {
        String name = archive.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            if (name.endsWith(".zip")) {
                unzip(in, target, paths);
            } else if (name.endsWith(".tar")) {
                untar(in, target, paths);
            } else {
                untar(new GZIPInputStream(in, 65536), target, paths);
            }
        }
    }

    static void untarGz(InputStream in, Path target, PathMap paths) throws IOException {
        untar(new GZIPInputStream(in, 65536), target, paths);
    }

    private static void unzip(InputStream in, Path target, PathMap paths) throws IOException {
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                total += write(zip, target, paths.map(entry.getName()), MAX_TOTAL_BYTES - total);
            }
        }
    }

    /** POSIX ustar with GNU long names and pax path headers: what npm pack and tar write. */
    private static void untar(InputStream in, Path target, PathMap paths) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        long total = 0;
        while (true) {
            if (in.readNBytes(header, 0, 512) < 512 || isZero(header)) {
                return;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(text(header, 257, 5))) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            long padded = (size + 511) / 512 * 512;
            if (type == 'L') {
                longName = new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
                in.skipNBytes(padded - size);
                continue;
            }
            if (type == 'x') {
                String pax = new String(in.readNBytes((int) size), StandardCharsets.UTF_8);
                in.skipNBytes(padded - size);
                for (String line : pax.split("\n")) {
                    int space = line.indexOf(' ');
                    if (space > 0 && line.startsWith("path=", space + 1)) {
                        longName = line.substring(space + 6);
                    }
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == '0' || type == '\0' || type == '7') {
                InputStream body = new BoundedInput(in, size);
                total += write(body, target, paths.map(name), MAX_TOTAL_BYTES - total);
                body.skipNBytes(body.available());
                in.skipNBytes(padded - size);
            } else {
                in.skipNBytes(padded); // folders, links, devices: nothing to write
            }
        }
    }

    private static long write(InputStream in, Path target, String relative, long budget) throws IOException {
        if (relative == null || relative.isEmpty()) {
            return 0;
        }
        Path out = target.resolve(relative).normalize();
        if (!out.startsWith(target) || out.equals(target)) {
            throw new IOException("archive entry " + relative + " would be written outside " + target);
        }
        Files.createDirectories(out.getParent());
        long written = 0;
        try (var os = Files.newOutputStream(out)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > budget) {
                    throw new IOException("the archive unpacks to more than " + MAX_TOTAL_BYTES + " bytes");
                }
                os.write(buffer, 0, n);
            }
        }
        return written;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int offset, int length) {
        if ((b[offset] & 0x80) != 0) { // GNU base-256 for big files
            long v = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        String s = text(b, offset, length).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** The {@code size} bytes of one tar entry. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, left);
        }

        @Override
        public void close() {
        }
    }
}
