package dev.thimble.workbench;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The idle trim gives malloc's free pages back on Linux (glibc's malloc_trim, decision 0068). */
class NativeHeapTest {
    @Test
    void mallocsFreePagesAreTrimmedOnLinux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "glibc's malloc_trim is Linux's");
        assertThat(NativeHeap.trim()).isTrue();
        assertThat(NativeHeap.trim()).as("again, with nothing left to give back").isTrue();
    }
}
