package dev.thimble.workbench;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * glibc's {@code malloc_trim}: returns the free pages of malloc's arenas to the system. The JVM's compiler arenas and
 * the native buffers of a burst of calls are freed back to malloc, which keeps them resident (17 MB in the window after
 * 3,000 calls, decision 0068). Called through the Foreign Function API (the window's launchers allow native access to the
 * class path); on a system without it (macOS, Windows, musl) nothing happens. The JVM's own diagnostic command for this
 * ({@code jcmd PID System.trim_native_heap}) is not among the commands its management bean offers in the installed runtime.
 */
final class NativeHeap {
    private static final MethodHandle MALLOC_TRIM = find();

    private NativeHeap() {
    }

    /** Trims malloc's arenas; false when this system has no {@code malloc_trim} or the call was refused. */
    static boolean trim() {
        if (MALLOC_TRIM == null) {
            return false;
        }
        try {
            int released = (int) MALLOC_TRIM.invokeExact(0L); // 1 when memory was given back, 0 when there was none
            return released >= 0;
        } catch (Throwable refused) {
            return false;
        }
    }

    private static MethodHandle find() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("malloc_trim")
                    .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
                    .orElse(null);
        } catch (RuntimeException | Error unavailable) { // native access not enabled, or no native linker on this platform
            return null;
        }
    }
}
