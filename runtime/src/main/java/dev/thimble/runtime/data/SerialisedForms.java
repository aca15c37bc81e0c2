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
 * elsewhere in use. The entries and their bytes are bounded ({@link #MAX_ENTRIES}, {@link #MAX_BYTES}); when
 * either is reached every entry is dropped, which only costs serialising again. An object changed in place must be
 * {@linkplain #remove removed} before it is stored again (the library applies an update to the stored document
 * instance).
 */
final class SerialisedForms {
    /** Enough for the pages a burst of writes dirties and the index keys binary searches visit. */
    static final int MAX_ENTRIES = 16_384;
    /** The bytes held at most (about: concurrent changes are counted loosely); beyond it every entry is dropped. */
    static final long MAX_BYTES = 16L << 20;
    /** A larger serialisation is not kept: a large document fills a page on its own and is rarely written again. */
    static final int MAX_FORM_BYTES = 16 << 10;

    private final ConcurrentHashMap<Object, byte[]> forms = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    /** The remembered serialisation of {@code object}, or null. */
    byte[] get(Object object) {
        return forms.get(new Probe(object));
    }

    void put(Object object, byte[] serialised) {
        if (serialised.length > MAX_FORM_BYTES) {
            return;
        }
        expunge();
        if (forms.size() >= MAX_ENTRIES || bytes.get() + serialised.length > MAX_BYTES) {
            forms.clear();
            bytes.set(0);
        }
        byte[] previous = forms.put(new Held(object, cleared), serialised);
        bytes.addAndGet(serialised.length - (previous == null ? 0 : previous.length));
    }

    void remove(Object object) {
        forgotten(forms.remove(new Probe(object)));
    }

    /** Bytes held now, about (for tests). */
    long bytes() {
        return bytes.get();
    }

    private void forgotten(byte[] removed) {
        if (removed != null) {
            bytes.addAndGet(-removed.length);
        }
    }

    /** Entries now (for tests). */
    int size() {
        expunge();
        return forms.size();
    }

    private void expunge() {
        for (Object gone = cleared.poll(); gone != null; gone = cleared.poll()) {
            forgotten(forms.remove(gone));
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
