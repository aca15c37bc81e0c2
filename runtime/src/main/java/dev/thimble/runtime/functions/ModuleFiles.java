package dev.thimble.runtime.functions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A read-only tree of module files that {@code require} resolves in: the built-in modules shipped as
 * class-path resources, or an app's {@code functions/} folder (its {@code node_modules}). Paths are
 * absolute within the tree ({@code /node_modules/lodash/lodash.js}), always normalized by
 * {@link ModuleResolver}; nothing outside the tree is ever reachable through one.
 */
interface ModuleFiles {

    /** A short name for ids and messages: {@code builtin} or {@code app}. */
    String tree();

    boolean isFile(String path);

    boolean isDirectory(String path);

    /** The file's text (UTF-8), or empty when there is no such file. */
    Optional<String> read(String path);

    /** The URI a debugger or a stack trace shows for the file. */
    URI uri(String path);

    /** The modules Thimble ships: {@code dev/thimble/runtime/functions/node/} on the class path. */
    static ModuleFiles builtin() {
        return BuiltinFiles.INSTANCE;
    }

    /** {@code root} (an app's {@code functions/} folder) as a tree; symbolic links that lead out of it are not followed. */
    static ModuleFiles directory(Path root) {
        return new DirectoryFiles(root);
    }

    /** No files at all: an app without dependencies. */
    ModuleFiles NONE = new ModuleFiles() {
        @Override public String tree() { return "app"; }
        @Override public boolean isFile(String path) { return false; }
        @Override public boolean isDirectory(String path) { return false; }
        @Override public Optional<String> read(String path) { return Optional.empty(); }
        @Override public URI uri(String path) { return URI.create("thimble:/modules" + path); }
    };

    final class BuiltinFiles implements ModuleFiles {
        static final BuiltinFiles INSTANCE = new BuiltinFiles();
        private static final String BASE = "node";

        @Override
        public String tree() {
            return "builtin";
        }

        @Override
        public boolean isFile(String path) {
            return !path.endsWith("/") && path.lastIndexOf('.') > path.lastIndexOf('/') && ModuleFiles.class.getResource(BASE + path) != null;
        }

        @Override
        public boolean isDirectory(String path) {
            // resources have no directories to list: a package folder is one that has a package.json or an index.js
            return ModuleFiles.class.getResource(BASE + path + "/package.json") != null
                    || ModuleFiles.class.getResource(BASE + path + "/index.js") != null;
        }

        @Override
        public Optional<String> read(String path) {
            if (!isFile(path)) {
                return Optional.empty();
            }
            try (InputStream in = ModuleFiles.class.getResourceAsStream(BASE + path)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public URI uri(String path) {
            return URI.create("thimble:/node" + path);
        }
    }

    final class DirectoryFiles implements ModuleFiles {
        private final Path root;
        private final Path realRoot;

        DirectoryFiles(Path root) {
            this.root = root.toAbsolutePath().normalize();
            Path real;
            try {
                real = Files.exists(this.root) ? this.root.toRealPath() : this.root;
            } catch (IOException e) {
                real = this.root;
            }
            this.realRoot = real;
        }

        /** The file at {@code path}, or null when it would lead out of the tree. */
        private Path at(String path) {
            Path p = root.resolve(path.substring(1)).normalize();
            if (!p.startsWith(root)) {
                return null;
            }
            try {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(realRoot)) {
                    return null;
                }
            } catch (IOException e) {
                return null;
            }
            return p;
        }

        @Override
        public String tree() {
            return "app";
        }

        @Override
        public boolean isFile(String path) {
            Path p = at(path);
            return p != null && Files.isRegularFile(p);
        }

        @Override
        public boolean isDirectory(String path) {
            Path p = at(path);
            return p != null && Files.isDirectory(p);
        }

        @Override
        public Optional<String> read(String path) {
            Path p = at(path);
            if (p == null || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
            } catch (java.nio.charset.MalformedInputException e) {
                try {
                    return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                } catch (IOException again) {
                    throw new UncheckedIOException(again);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public URI uri(String path) {
            return root.resolve(path.substring(1)).toUri();
        }
    }
}
