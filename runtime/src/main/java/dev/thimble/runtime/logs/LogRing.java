package dev.thimble.runtime.logs;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed-size ring of the most recent records, written by any number of threads without locks
 * and read by any number of cursors (the persistence writer, each subscriber). Every appended
 * record gets the next sequence number; a reader remembers the sequence it wants next and learns
 * how many it lost when writers lapped it. Nothing here blocks.
 *
 * <p>A record can be swapped for a lighter copy of itself ({@link #release}) once it is stored: the
 * ring's length bounds how many records it holds, the log service's byte budget how many of them
 * keep their heavy parts (issue 18: a full ring of rule decisions did not fit serve's heap).
 */
final class LogRing {

    /** A record, the sequence number it was appended with, and whether it is the light copy ({@link #release}). */
    private record Slot(long seq, LogRecord record, boolean released) {}

    /**
     * What a reader got: {@code records} are sequences {@code [first, next)}; {@code lost} records
     * before {@code first} were overwritten before this reader saw them; {@code released} has the
     * positions in {@code records} of light copies (their heavy parts are in the store only).
     */
    record Read(List<LogRecord> records, long first, long next, long lost, BitSet released) {}

    private final int capacity;
    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong head = new AtomicLong();

    LogRing(int capacity) {
        if (capacity < 1) { throw new IllegalArgumentException("ring capacity must be at least 1, was " + capacity); }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    int capacity() { return capacity; }

    /** The sequence the next append will get: how many records were ever appended. */
    long head() { return head.get(); }

    /** Appends and returns the record's sequence. Lock-free; never blocks. */
    long append(LogRecord record) {
        long seq = head.getAndIncrement();
        int i = index(seq);
        Slot mine = new Slot(seq, record, false);
        Slot current;
        do {
            current = slots.get(i);
            // A writer that was descheduled for a whole lap must not overwrite a newer record.
            if (current != null && current.seq > seq) { return seq; }
        } while (!slots.compareAndSet(i, current, mine));
        return seq;
    }

    /**
     * Up to {@code max} records from sequence {@code from} on, in order. Stops early at a
     * sequence that was claimed but is not yet written (its writer is between two instructions),
     * so a reader never skips a record that is about to appear.
     */
    Read read(long from, int max) {
        long h = head.get();
        long first = Math.max(from, h - capacity);
        long lost = first - from;
        List<LogRecord> out = new ArrayList<>((int) Math.min(max, Math.max(0, h - first)));
        BitSet released = new BitSet();
        long s = first;
        while (s < h && out.size() < max) {
            Slot slot = slots.get(index(s));
            if (slot == null || slot.seq < s) { break; }
            if (slot.seq > s) {
                // lapped while reading: s is gone
                if (out.isEmpty()) { first++; lost++; s++; continue; }
                break;
            }
            if (slot.released) { released.set(out.size()); }
            out.add(slot.record);
            s++;
        }
        return new Read(out, first, s, lost, released);
    }

    /**
     * Replaces the record at {@code seq} with its {@link LogRecord#withoutHeavyParts() light copy},
     * unless it was overwritten or released already. Only the persistence writer calls this, and
     * only for records it has stored: a reader that finds a light copy gets the rest from the store.
     *
     * @return whether this call released it
     */
    boolean release(long seq) {
        int i = index(seq);
        Slot current = slots.get(i);
        while (current != null && current.seq == seq && !current.released) {
            Slot light = new Slot(seq, current.record.withoutHeavyParts(), true);
            if (slots.compareAndSet(i, current, light)) { return true; }
            current = slots.get(i);
        }
        return false;
    }

    /** The newest {@code n} records still in the ring, oldest first. */
    List<LogRecord> recent(int n) {
        long h = head.get();
        long from = Math.max(0, Math.max(h - n, h - capacity));
        List<LogRecord> out = new ArrayList<>((int) (h - from));
        for (long s = h - 1; s >= from; s--) {
            Slot slot = slots.get(index(s));
            if (slot != null && slot.seq == s) { out.add(slot.record); }
        }
        Collections.reverse(out);
        return out;
    }

    private int index(long seq) { return (int) (seq % capacity); }
}
