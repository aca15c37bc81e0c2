package dev.thimble.runtime.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reading, importing and writing app bundles. {@link #read} accepts every layout of STITCH-SPEC §1
 * and never throws for bad content: each problem becomes a {@link Problem} naming the file, the
 * field and what to do, and reading goes on past it, skipping only the broken entity (so a bundle
 * read with errors loses that entity if it is written back). {@link #write} always writes the
 * Stitch 2018 layout, deterministically: the same model gives byte-identical files, and reading
 * them back gives an equal model.
 *
 * <p>Secret values found in a bundle (legacy {@code secrets.json}, inline webhook secrets) go to
 * {@link LoadResult#extractedSecrets()}, never into the model, so no write can emit them. Files the
 * model does not hold are kept as text in {@link AppModel#otherFiles()}; binary files (images,
 * node_modules archives) cannot be, so reading warns about each and writing leaves them in place.
 */
public final class AppBundles {
    private AppBundles() {
    }

    /**
     * Reads the bundle in {@code dir}, detecting its layout from its root file. When there is no
     * root file, the result has no app and one error naming the directory and the files looked for.
     */
    public static LoadResult read(Path dir) {
        return read(dir, null);
    }

    /**
     * {@link #read(Path)}, giving the app the client app id {@code clientAppId} instead of the one
     * its root config holds (or would be derived); null keeps the bundle's own.
     */
    public static LoadResult read(Path dir, String clientAppId) {
        return read(dir, dir.toAbsolutePath().normalize().getFileName() == null ? "" : dir.toAbsolutePath().normalize().getFileName().toString(),
                clientAppId);
    }

    private static LoadResult read(Path dir, String folderName, String clientAppId) {
        if (!Files.isDirectory(dir)) {
            return failure(dir + " is not a directory; give the folder that holds the app bundle");
        }
        Optional<Layout> layout = LayoutDetector.detect(dir);
        if (layout.isEmpty()) {
            return failure(dir + " is not an app bundle: found none of " + LayoutDetector.LOOKED_FOR + " in it");
        }
        BundleReadContext ctx;
        try {
            ctx = BundleReadContext.open(dir);
        } catch (IOException e) {
            return failure("cannot list the files of " + dir + ": " + e.getMessage());
        }
        BundleParts parts = switch (layout.get()) {
            case STITCH_2018, REALM_V1 -> StitchLayoutReader.read(ctx, layout.get());
            case REALM_V2, APP_SERVICES -> AppServicesImporter.read(ctx, layout.get());
        };
        if (clientAppId != null && !clientAppId.isBlank()) {
            parts.metadata.put("app_id", clientAppId);
        }
        ClientAppIds.deriveWhenMissing(parts.metadata, parts.metadataFile, folderName, ctx);
        Map<String, String> extracted = new TreeMap<>();
        AppModel app = AppAssembler.assemble(parts, ctx, extracted);
        return new LoadResult(app, layout.get(), ctx.problems(), ctx.origins(), extracted);
    }

    /**
     * Reads an exported zip: the bundle may sit at the zip root or in its one top-level folder.
     * Entries that would unpack outside the bundle (zip slip) are skipped with an error.
     */
    public static LoadResult readZip(Path zip) {
        return readZip(zip, null);
    }

    /** {@link #readZip(Path)} with a chosen client app id, as {@link #read(Path, String)}. */
    public static LoadResult readZip(Path zip, String clientAppId) {
        if (!Files.isRegularFile(zip)) {
            return failure(zip + " is not a file; give the path of the exported zip");
        }
        Path unpacked = null;
        try {
            unpacked = Files.createTempDirectory("thimble-import-");
            List<Problem> zipProblems = new ArrayList<>();
            if (!ZipBundles.extract(zip, unpacked, zipProblems)) {
                return new LoadResult(null, null, zipProblems, Map.of(), Map.of());
            }
            Optional<Path> root = ZipBundles.bundleRoot(unpacked);
            if (root.isEmpty()) {
                zipProblems.add(Problem.error("", "", zip + " holds no app bundle: found none of " + LayoutDetector.LOOKED_FOR
                        + " at its root or in a single top-level folder"));
                return new LoadResult(null, null, zipProblems, Map.of(), Map.of());
            }
            // an app with neither id nor name is named after the zip (the unpacked folder has a random name)
            String stem = zip.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
            String folder = root.get().equals(unpacked) ? stem : root.get().getFileName().toString();
            LoadResult read = read(root.get(), folder, clientAppId);
            zipProblems.addAll(read.problems());
            return new LoadResult(read.app(), read.layout(), zipProblems, read.origins(), read.extractedSecrets());
        } catch (IOException e) {
            return failure("cannot unpack " + zip + ": " + e.getMessage());
        } finally {
            if (unpacked != null) {
                FileTrees.deleteQuietly(unpacked);
            }
        }
    }

    /**
     * Writes {@code app} as a Stitch-layout bundle into {@code dir}, which must be new, empty, or
     * hold a bundle (whose files are replaced; {@code .git} and binary files stay).
     *
     * @throws IOException when {@code dir} is a non-empty folder that holds no bundle, when a name in
     *                     the model cannot be a file name, or when writing fails
     */
    public static void write(AppModel app, Path dir, WriteOptions options) throws IOException {
        BundleDirectory.write(BundleWriter.render(app, options), dir);
    }

    /** Writes {@code app} as a zip of a Stitch-layout bundle (files at the zip root), replacing {@code zip}. */
    public static void writeZip(AppModel app, Path zip, WriteOptions options) throws IOException {
        ZipBundles.write(BundleWriter.render(app, options), zip);
    }

    /**
     * Copies the files of the bundle in {@code source} (a folder, or an exported {@code .zip}) that the
     * model cannot hold (binary: hosting images, dependency archives) into {@code target} at the same
     * paths, byte for byte, so an import keeps them as they are.
     *
     * @return the copied paths, bundle-relative
     */
    public static List<String> copyBinaryFiles(Path source, Path target) throws IOException {
        return inFolder(source, folder -> copyBinaryFilesOfFolder(folder, target));
    }

    /**
     * The SHA-256 (hex) of each file of the bundle in {@code source} (a folder or an exported {@code .zip})
     * that the model cannot hold, by bundle-relative path: what a comparison of two bundles needs to see
     * that an image changed, without holding it.
     */
    public static SortedMap<String, String> binaryFileDigests(Path source) throws IOException {
        return inFolder(source, folder -> {
            SortedMap<String, String> digests = new TreeMap<>();
            for (String rel : BundleReadContext.open(folder).binaryFiles()) {
                try {
                    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(folder.resolve(rel)));
                    digests.put(rel, java.util.HexFormat.of().formatHex(hash));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException("every JDK has SHA-256", e);
                }
            }
            return digests;
        });
    }

    private interface FolderWork<T> {
        T apply(Path folder) throws IOException;
    }

    /** Runs {@code work} on the bundle folder: {@code source} itself, or a zip's bundle unpacked for the time of it. */
    private static <T> T inFolder(Path source, FolderWork<T> work) throws IOException {
        if (!Files.isRegularFile(source)) {
            return work.apply(source);
        }
        Path unpacked = Files.createTempDirectory("thimble-import-");
        try {
            List<Problem> problems = new ArrayList<>();
            if (!ZipBundles.extract(source, unpacked, problems)) {
                throw new IOException(problems.isEmpty() ? "cannot unpack " + source : problems.getFirst().reason());
            }
            Optional<Path> root = ZipBundles.bundleRoot(unpacked);
            if (root.isEmpty()) {
                throw new IOException(source + " holds no app bundle");
            }
            return work.apply(root.get());
        } finally {
            FileTrees.deleteQuietly(unpacked);
        }
    }

    private static List<String> copyBinaryFilesOfFolder(Path source, Path target) throws IOException {
        BundleReadContext ctx = BundleReadContext.open(source);
        List<String> copied = new ArrayList<>();
        for (String rel : ctx.binaryFiles()) {
            Path to = target.resolve(rel).normalize();
            if (!to.startsWith(target.normalize())) {
                continue;
            }
            Files.createDirectories(to.getParent());
            Files.copy(source.resolve(rel), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            copied.add(rel);
        }
        return copied;
    }

    private static LoadResult failure(String reason) {
        return new LoadResult(null, null, List.of(Problem.error("", "", reason)), Map.of(), Map.of());
    }
}
