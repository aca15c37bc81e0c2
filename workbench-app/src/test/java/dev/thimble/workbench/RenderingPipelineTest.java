package dev.thimble.workbench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workbench draws with JavaFX's software pipeline on a Linux machine without a GPU render node (decision 0054),
 * and leaves the choice to JavaFX everywhere else or when the user made it.
 */
class RenderingPipelineTest {
    @TempDir
    Path dri;

    @Test
    void linuxWithoutDriFolderDrawsInSoftware() {
        assertThat(RenderingPipeline.choose(null, "Linux", dri.resolve("absent"))).isEqualTo("sw");
    }

    @Test
    void linuxWithOnlyADisplayCardAndNoRenderNodeDrawsInSoftware() throws IOException {
        Files.createFile(dri.resolve("card0"));
        assertThat(RenderingPipeline.choose(null, "Linux", dri)).isEqualTo("sw");
    }

    @Test
    void linuxWithARenderNodeKeepsJavaFxsChoice() throws IOException {
        Files.createFile(dri.resolve("card0"));
        Files.createFile(dri.resolve("renderD128"));
        assertThat(RenderingPipeline.choose(null, "Linux", dri)).isNull();
    }

    @Test
    void thePipelineTheUserChoseIsKeptEvenWithoutAGpu() {
        assertThat(RenderingPipeline.choose("es2", "Linux", dri.resolve("absent"))).isNull();
    }

    @Test
    void otherSystemsKeepJavaFxsChoice() {
        assertThat(RenderingPipeline.choose(null, "Mac OS X", dri.resolve("absent"))).isNull();
        assertThat(RenderingPipeline.choose(null, "Windows 11", dri.resolve("absent"))).isNull();
    }
}
