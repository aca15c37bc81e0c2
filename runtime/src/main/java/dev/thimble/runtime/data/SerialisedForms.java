package dev.thimble.runtime.data;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java serialisation of stored objects (documents, unique-index keys), remembered per object instance for as
 * long as the instance lives, so that H2 serialises each stored object once rather than at every commit that rewrites
 * its page and at every binary-search step that compares it (decision 0053).
 *
 * <p>Keys are held weakly and compared by identity: an entry goes when its object is no longer in any page or
 * elsewhere in use. The number of entries is bounded ({@link #MAX_ENTRIES}); when it is reached every entry is
 * dropped, which only costs serialising again. An object changed in place must be {@linkplain #remove removed} before it
 * is stored again (the library applies an update to the stored document instance).
 */
final class SerialisedForms {
    /** Enough for the pages a burst of writes dirties and the index keys binary searches visit; ~8 MB at most. */
    static final int MAX_ENTRIES = 16_384;

    private final ConcurrentHashMap<Object, byte[]> forms = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();

    /** The remembered serialisation of {@code object}, or null. */
    byte[] get(Object object) {
        return forms.get(new Probe(object));
    }

    void put(Object object, byte[] serialised) {
        expunge();
        if (forms.size() >= MAX_ENTRIES) {
            forms.clear();
        }
        forms.put(new Held(object, cleared), serialised);
    }

    void remove(Object object) {
        forms.remove(new Probe(object));
    }

    /** Entries now (for tests). */
    int size() {
        expunge();
        return forms.size();
    }

    private void expunge() {
        for (Object gone = cleared.poll(); gone != null; gone = cleared.poll()) {
            forms.remove(gone);
        }
    }

    /** A key: equal to another key with the same referent (identity), hashed by identity. */
    private interface Key {
        Object referent();
    }

    private static boolean same(Key key, Object other) {
        if (key == other) {
            return true;
        }
        Object referent = key.referent();
        return referent != null && other instanceof Key k && k.referent() == referent;
    }

    private static final class Held extends WeakReference<Object> implements Key {
        private final int hash;

        Held(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public Object referent() {
            return get();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return same(this, other);
        }
    }

    private record Probe(Object referent) implements Key {
        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            return same(this, other);
        }
    }
}
