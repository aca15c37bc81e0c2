package dev.thimble.runtime.diff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Pairs the entities of two apps by name, and finds renames: an entity only in the old app whose
 * content (everything but its name and id) equals that of one only in the new app was renamed,
 * not removed and added.
 */
final class Pairing<T> {
    final SortedMap<String, T> removed = new TreeMap<>();
    final SortedMap<String, T> added = new TreeMap<>();
    /** Old name → new name. */
    final Map<String, String> renamed = new LinkedHashMap<>();
    /** Names in both apps. */
    final List<String> kept = new ArrayList<>();

    private Pairing() {
    }

    static <T> Pairing<T> of(Map<String, T> before, Map<String, T> after, BiPredicate<T, T> sameContent) {
        Pairing<T> pairing = new Pairing<>();
        new TreeMap<>(before).forEach((name, entity) -> {
            if (after.containsKey(name)) {
                pairing.kept.add(name);
            } else {
                pairing.removed.put(name, entity);
            }
        });
        new TreeMap<>(after).forEach((name, entity) -> {
            if (!before.containsKey(name)) {
                pairing.added.put(name, entity);
            }
        });
        pairing.renames(sameContent);
        return pairing;
    }

    /**
     * A second, looser look for renames among what is still unpaired (e.g. a function with the same source
     * whose settings changed too); the caller then compares the pair like any kept one.
     */
    Pairing<T> alsoRenamed(BiPredicate<T, T> similar) {
        renames(similar);
        return this;
    }

    private void renames(BiPredicate<T, T> sameContent) {
        Iterator<Map.Entry<String, T>> gone = removed.entrySet().iterator();
        while (gone.hasNext()) {
            Map.Entry<String, T> old = gone.next();
            String match = null;
            for (Map.Entry<String, T> fresh : added.entrySet()) {
                if (sameContent.test(old.getValue(), fresh.getValue())) {
                    match = fresh.getKey();
                    break;
                }
            }
            if (match != null) {
                renamed.put(old.getKey(), match);
                added.remove(match);
                gone.remove();
            }
        }
    }
}
