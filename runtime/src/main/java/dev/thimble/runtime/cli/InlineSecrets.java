package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.values.SecretStore;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Secret values written in a bundle itself (a Stitch webhook's {@code options.secret}, legacy
 * {@code secrets.json}): the reader moves them out of the model, and the validator counts them as
 * known. {@code thimble serve} puts each one the local store lacks into it, the same way
 * {@code thimble import} does, so what {@code validate} accepts is what {@code serve} runs. A value
 * already in the store wins (it may have been rotated since the export).
 */
final class InlineSecrets {
    private InlineSecrets() {
    }

    static void storeMissing(LoadResult loaded, SecretStore store, PrintWriter out) {
        Map<String, String> missing = new TreeMap<>(loaded.extractedSecrets());
        missing.keySet().removeAll(store.names());
        if (missing.isEmpty()) {
            return;
        }
        missing.forEach(store::set);
        out.println("Moved " + missing.size() + " secret value(s) written in the bundle (" + String.join(", ", missing.keySet())
                + ") into the local secret store (" + store.file() + "); `thimble export` writes the bundle without them.");
    }
}
