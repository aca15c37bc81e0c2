package dev.thimble.workbench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses JavaFX's rendering pipeline before the toolkit starts. On Linux without a GPU (no DRM render node
 * {@code /dev/dri/renderD*}: a virtual machine, a container, Xvfb on a server) JavaFX's default OpenGL pipeline
 * runs on Mesa's software renderer (llvmpipe), which maps ~43 MB of LLVM and compiles its shaders at start; JavaFX's
 * own software pipeline ({@code prism.order=sw}) draws the same window without either, once GTK too is kept from
 * opening OpenGL ({@code GDK_GL=disable}, set by the launchers: it must be in the environment). Decision 0054.
 * A pipeline the user chose ({@code -Dprism.order=es2} in {@code THIMBLE_JAVA_OPTIONS}) is always kept, and on
 * other systems, or with a render node, JavaFX chooses as it always did.
 */
final class RenderingPipeline {
    /** JavaFX's own property: the pipelines it tries, in order. */
    static final String PRISM_ORDER = "prism.order";
    /** JavaFX's software pipeline. */
    static final String SOFTWARE = "sw";
    private static final Path DRI = Path.of("/dev/dri");

    private RenderingPipeline() {
    }

    /** Sets {@code prism.order} to the software pipeline when {@link #choose} says so; call before JavaFX starts. */
    static void chooseForThisMachine() {
        String choice = choose(System.getProperty(PRISM_ORDER), System.getProperty("os.name", ""), DRI);
        if (choice != null) {
            System.setProperty(PRISM_ORDER, choice);
        }
    }

    /**
     * The pipeline to ask JavaFX for, or null to leave its choice alone.
     *
     * @param chosen the {@code prism.order} already set (the user's), or null
     * @param osName the operating system's name ({@code os.name})
     * @param dri    the folder of the DRM devices ({@code /dev/dri} on Linux)
     */
    static String choose(String chosen, String osName, Path dri) {
        if (chosen != null && !chosen.isBlank()) {
            return null;
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null; // macOS (Metal/OpenGL) and Windows (Direct3D) always have a hardware pipeline or fall back by themselves
        }
        return hasRenderNode(dri) ? null : SOFTWARE;
    }

    private static boolean hasRenderNode(Path dri) {
        if (!Files.isDirectory(dri)) {
            return false;
        }
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(dri, "renderD*")) {
            return nodes.iterator().hasNext();
        } catch (IOException | SecurityException unreadable) {
            return true; // cannot tell: keep JavaFX's own choice
        }
    }
}
