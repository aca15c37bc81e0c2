package dev.thimble.runtime.sync;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * realm-core's merge rules for concurrent edits of one list (its {@code transform.cpp}: ArrayInsert,
 * ArrayErase, ArrayMove and element Update against each other), so an upload made without seeing other
 * clients' element edits is applied at the indexes the clients compute for it: both inserts survive,
 * ordered by (timestamp, file identity) at the same index; an erase shifts later indexes; two erases of one
 * element become one; an update of an erased element is dropped; of two updates of one element the later
 * wins; a move carries concurrent updates of its element along, an erase of the moved element wins over
 * the move, and of two moves of one element the later wins (starting from where the earlier put it).
 *
 * <p>The server applies an upload's ops after the concurrent ones it had integrated; a client applies
 * those (received) after its own. Both transform with the same rules, so they end with the same list.
 */
final class ListMerge {
    private ListMerge() {
    }

    /**
     * List edits (insert, erase, element update, move), set edits ({@code ADD}: SetInsert, {@code REMOVE}:
     * SetErase), dictionary edits ({@code PUT}: an Update of a key, or its erase), and an update of a sub-field
     * of a list element that is an embedded object ({@code SUB}: an Update at {@code [index, sub]}).
     */
    enum Kind { INSERT, ERASE, SET, MOVE, ADD, REMOVE, PUT, SUB }

    /**
     * One element edit: its index (a move's source), a move's target index ({@code to}: where the element
     * ends, counted in the list after the move), its value (insert and set), and the list's size before it.
     */
    static final class Op {
        final Kind kind;
        long index;
        long to;
        /** A dictionary edit's key (null otherwise). */
        final String key;
        /** The inserted, set or put value; {@link Changesets#ERASED_VALUE} for a dictionary key's erase. */
        final BsonValue value;
        /** The sub-field a {@code SUB} edit updates (null otherwise). */
        final String sub;
        long priorSize;
        boolean discarded;

        Op(Kind kind, long index, BsonValue value, long priorSize) {
            this(kind, index, -1, null, value, priorSize);
        }

        Op(Kind kind, long index, long to, BsonValue value, long priorSize) {
            this(kind, index, to, null, value, priorSize);
        }

        Op(Kind kind, long index, long to, String key, BsonValue value, long priorSize) {
            this(kind, index, to, key, value, priorSize, null);
        }

        Op(Kind kind, long index, long to, String key, BsonValue value, long priorSize, String sub) {
            this.sub = sub;
            this.kind = kind;
            this.index = index;
            this.to = to;
            this.key = key;
            this.value = value;
            this.priorSize = priorSize;
        }

        static Op move(long from, long to, long priorSize) {
            return new Op(Kind.MOVE, from, to, null, priorSize);
        }

        Op copy() {
            return new Op(kind, index, to, key, value, priorSize, sub);
        }

        static Op of(Instruction.CollectionEdit e) {
            if (e.sub() != null) {
                return new Op(Kind.SUB, e.index(), -1, null, e.value(), -1, e.sub());
            }
            return switch (e.type()) {
                case Instruction.ARRAY_INSERT -> new Op(Kind.INSERT, e.index(), e.value(), e.priorSize());
                case Instruction.ARRAY_ERASE -> new Op(Kind.ERASE, e.index(), null, e.priorSize());
                case Instruction.UPDATE -> e.key() != null ? new Op(Kind.PUT, -1, -1, e.key(), e.value(), -1)
                        : new Op(Kind.SET, e.index(), e.value(), e.priorSize());
                case Instruction.ARRAY_MOVE -> move(e.index(), e.to(), e.priorSize());
                case Instruction.SET_INSERT -> new Op(Kind.ADD, -1, e.value(), -1);
                case Instruction.SET_ERASE -> new Op(Kind.REMOVE, -1, e.value(), -1);
                default -> throw new IllegalArgumentException("not an element edit: " + Instruction.NAMES[e.type()]);
            };
        }

        Instruction.CollectionEdit edit(String table, BsonValue pk, String field) {
            int type = switch (kind) {
                case INSERT -> Instruction.ARRAY_INSERT;
                case ERASE -> Instruction.ARRAY_ERASE;
                case SET, PUT, SUB -> Instruction.UPDATE;
                case MOVE -> Instruction.ARRAY_MOVE;
                case ADD -> Instruction.SET_INSERT;
                case REMOVE -> Instruction.SET_ERASE;
            };
            return new Instruction.CollectionEdit(table, pk, field, type, index, key, value, kind == Kind.MOVE ? to : -1, priorSize, sub);
        }

        BsonDocument toDocument() {
            BsonDocument d = new BsonDocument("k", new BsonString(kind.name())).append("i", new BsonInt64(index))
                    .append("p", new BsonInt64(priorSize));
            if (kind == Kind.MOVE) {
                d.append("t", new BsonInt64(to));
            }
            if (key != null) {
                d.append("key", new BsonString(key));
            }
            if (sub != null) {
                d.append("sub", new BsonString(sub));
            }
            if (value == Changesets.ERASED_VALUE) {
                d.append("erased", org.bson.BsonBoolean.TRUE);
            } else if (value == Changesets.NEW_OBJECT) {
                d.append("object", org.bson.BsonBoolean.TRUE); // a new embedded object (its sub-fields follow as SUB edits)
            } else if (value != null) {
                d.append("val", Changesets.stored(value)); // a link as its target's primary key, as MongoDB holds it
            }
            return d;
        }

        static Op fromDocument(BsonDocument d) {
            BsonValue value = d.containsKey("erased") ? Changesets.ERASED_VALUE : d.containsKey("object") ? Changesets.NEW_OBJECT : d.get("val");
            return new Op(Kind.valueOf(d.getString("k").getValue()), d.getInt64("i").getValue(),
                    d.containsKey("t") ? d.getInt64("t").getValue() : -1, d.containsKey("key") ? d.getString("key").getValue() : null,
                    value, d.getInt64("p").getValue(), d.containsKey("sub") ? d.getString("sub").getValue() : null);
        }

        /** What a set or dictionary edit is about: the set element (as MongoDB holds it) or the dictionary key. */
        Object target() {
            return kind == Kind.PUT ? key : Changesets.realmValue(Changesets.stored(value));
        }

        @Override
        public String toString() {
            return kind + (key != null ? "[" + key + "]" : "@" + index) + (sub != null ? "." + sub : "") + (kind == Kind.MOVE ? "->" + to : "")
                    + (value == null ? "" : "=" + value) + "/" + priorSize;
        }
    }

    /**
     * Whether every edit of a collection field is an element edit this class merges: list inserts, erases,
     * moves and element updates; set inserts and erases; dictionary key updates and erases (no Clear, and
     * nothing inside an element).
     */
    static boolean mergeable(List<Instruction.CollectionEdit> edits) {
        return edits.stream().allMatch(e -> (e.sub() != null && e.key() == null && e.index() >= 0 && e.type() == Instruction.UPDATE)
                || e.sub() == null && (
                (e.key() == null && e.index() >= 0 && (e.type() == Instruction.ARRAY_INSERT || e.type() == Instruction.ARRAY_ERASE
                        || e.type() == Instruction.UPDATE || e.type() == Instruction.ARRAY_MOVE))
                || (e.key() == null && e.index() < 0 && (e.type() == Instruction.SET_INSERT || e.type() == Instruction.SET_ERASE))
                || (e.key() != null && e.index() < 0 && e.type() == Instruction.UPDATE && e.value() != Changesets.NEW_OBJECT)));
    }

    /** A concurrent writer's ops as the server integrated them, their origin timestamp and file, and server version. */
    record Concurrent(long timestamp, long origin, List<Op> ops, long version) {
        Concurrent(long timestamp, long origin, List<Op> ops) {
            this(timestamp, origin, ops, 0);
        }

        /** A copy whose ops can be transformed without touching these. */
        Concurrent copy() {
            return new Concurrent(timestamp, origin, new ArrayList<>(ops.stream().map(Op::copy).toList()), version);
        }
    }

    /**
     * The upload's ops transformed past the concurrent ops the server integrated before it (oldest
     * first), as realm-core transforms them: every op of the upload meets every concurrent op, each
     * shifting the other. Returns the upload's surviving ops, in order.
     */
    static List<Op> transform(List<Op> upload, long uploadTimestamp, long uploadOrigin, List<Concurrent> integrated) {
        return transformBoth(upload, uploadTimestamp, uploadOrigin, integrated.stream().map(Concurrent::copy).toList());
    }

    /**
     * As {@link #transform}, and the concurrent ops are transformed past the upload's in place (realm-core's
     * reciprocal transform): the next changeset of the same client, made after this one, is then transformed
     * past them as its client will see them, not as they were integrated.
     */
    static List<Op> transformBoth(List<Op> upload, long uploadTimestamp, long uploadOrigin, List<Concurrent> integrated) {
        List<Op> ours = new ArrayList<>(upload.stream().map(Op::copy).toList());
        for (Concurrent c : integrated) {
            List<Op> theirs = c.ops();
            boolean theirsEarlier = c.timestamp() < uploadTimestamp || (c.timestamp() == uploadTimestamp && c.origin() < uploadOrigin);
            for (Op their : theirs) {
                for (Op our : ours) {
                    if (their.discarded) {
                        break;
                    }
                    if (!our.discarded) {
                        merge(their, our, theirsEarlier);
                    }
                }
            }
            ours.removeIf(o -> o.discarded);
        }
        return ours;
    }

    /**
     * realm-core's rule for two concurrent edits of one list, {@code a} and {@code b} (each adjusted as
     * if the other had happened first); {@code aEarlier}: a's timestamp is the lower one.
     */
    static void merge(Op a, Op b, boolean aEarlier) {
        if (a.kind == Kind.ADD || a.kind == Kind.REMOVE || a.kind == Kind.PUT) {
            // realm-core's SetInsert/SetErase rules and dictionary Update rule: of two edits of one set element or
            // dictionary key the earlier has no effect (is discarded); edits of different elements or keys do not meet.
            if (a.target().equals(b.target())) {
                if (aEarlier) {
                    a.discarded = true;
                } else {
                    b.discarded = true;
                }
            }
            return;
        }
        if (a.kind == Kind.SUB || b.kind == Kind.SUB) {
            mergeSub(a.kind == Kind.SUB ? a : b, a.kind == Kind.SUB ? b : a, a.kind == Kind.SUB ? aEarlier : !aEarlier);
            return;
        }
        if (a.kind == Kind.MOVE || b.kind == Kind.MOVE) {
            mergeMove(a, b, aEarlier);
            return;
        }
        switch (a.kind) {
            case INSERT -> {
                switch (b.kind) {
                    case INSERT -> {
                        a.priorSize++;
                        b.priorSize++;
                        if (a.index > b.index) {
                            a.index++;
                        } else if (a.index < b.index) {
                            b.index++;
                        } else if (aEarlier) {
                            b.index++; // the same position: the later insert goes after the earlier one
                        } else {
                            a.index++;
                        }
                    }
                    case ERASE -> eraseVsInsert(b, a);
                    case SET -> insertVsSet(a, b);
                    default -> throw new IllegalStateException();
                }
            }
            case ERASE -> {
                switch (b.kind) {
                    case INSERT -> eraseVsInsert(a, b);
                    case ERASE -> {
                        a.priorSize--;
                        b.priorSize--;
                        if (a.index > b.index) {
                            a.index--;
                        } else if (a.index < b.index) {
                            b.index--;
                        } else {
                            a.discarded = true; // the same element erased on both sides: once
                            b.discarded = true;
                        }
                    }
                    case SET -> eraseVsSet(a, b);
                    default -> throw new IllegalStateException();
                }
            }
            case SET -> {
                switch (b.kind) {
                    case INSERT -> insertVsSet(b, a);
                    case ERASE -> eraseVsSet(b, a);
                    case SET -> {
                        if (a.index == b.index) {
                            if (aEarlier) {
                                a.discarded = true; // the later update of one element wins
                            } else {
                                b.discarded = true;
                            }
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * realm-core's nested rules for an update inside a list element ({@code [index, sub]}) against an edit of the list:
     * an insert before it or a move shifts its index, an erase of its element discards it; a new embedded object set at
     * its index does not (creating an embedded object is idempotent); of two updates of one sub-field of one element
     * the later wins. It has no prior size (its path ends in a name).
     */
    private static void mergeSub(Op sub, Op other, boolean subEarlier) {
        switch (other.kind) {
            case SUB -> {
                if (sub.index == other.index && sub.sub.equals(other.sub)) {
                    if (subEarlier) {
                        sub.discarded = true;
                    } else {
                        other.discarded = true;
                    }
                }
            }
            case INSERT -> {
                if (sub.index >= other.index) {
                    sub.index++;
                }
            }
            case ERASE -> {
                if (sub.index == other.index) {
                    sub.discarded = true;
                } else if (sub.index > other.index) {
                    sub.index--;
                }
            }
            case MOVE -> sub.index = indexAfterMove(sub.index, other.index, other.to);
            case SET -> {
                // A new embedded object at the element's index leaves the updates inside it alone.
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * realm-core's ArrayMove rules (a move is an erase at its source followed by an insert at its target,
     * counted in the list without the element): against an insert, an erase, an update and another move.
     */
    private static void mergeMove(Op a, Op b, boolean aEarlier) {
        if (a.kind == Kind.MOVE && b.kind == Kind.MOVE) {
            moveVsMove(a, b, aEarlier);
            return;
        }
        Op move = a.kind == Kind.MOVE ? a : b;
        Op other = move == a ? b : a;
        boolean moveEarlier = move == a ? aEarlier : !aEarlier;
        switch (other.kind) {
            case INSERT -> moveVsInsert(move, other, moveEarlier);
            case ERASE -> eraseVsMove(other, move);
            case SET -> other.index = indexAfterMove(other.index, move.index, move.to); // the update follows its element
            default -> throw new IllegalStateException();
        }
    }

    /** Where the element at {@code index} is after a move from {@code from} to {@code to} (realm-core's merge_get_vs_move). */
    static long indexAfterMove(long index, long from, long to) {
        if (index == from) {
            return to;
        }
        long out = index;
        if (out > from) {
            out--;
        }
        if (out >= to) {
            out++;
        }
        return out;
    }

    private static void moveVsInsert(Op move, Op insert, boolean moveEarlier) {
        move.priorSize++;
        // The insert against the move's removal of its element.
        if (insert.index > move.index) {
            insert.index--;
        } else {
            move.index++;
        }
        // The insert against the move's insertion of its element.
        if (insert.index < move.to) {
            move.to++;
        } else if (insert.index > move.to) {
            insert.index++;
        } else if (moveEarlier) {
            move.to++; // the same position: realm-core puts the moved element after the insert when the move is earlier
        } else {
            insert.index++;
        }
    }

    private static void eraseVsMove(Op erase, Op move) {
        move.priorSize--;
        if (erase.index == move.index) {
            erase.index = move.to; // the moved element is erased where the move put it; the move is dropped
            move.discarded = true;
            return;
        }
        if (erase.index > move.index) {
            erase.index--;
        } else {
            move.index--;
        }
        if (erase.index >= move.to) {
            erase.index++;
        } else {
            move.to--;
        }
        if (move.index == move.to) {
            move.discarded = true;
        }
    }

    private static void moveVsMove(Op a, Op b, boolean aEarlier) {
        if (a.index == b.index) {
            // The same element moved on both sides: the later move wins, starting from where the earlier one put it.
            Op earlier = aEarlier ? a : b;
            Op later = aEarlier ? b : a;
            later.index = earlier.to;
            earlier.discarded = true;
            if (later.index == later.to) {
                later.discarded = true;
            }
            return;
        }
        if (a.index < b.index) {
            b.index--;
        } else {
            a.index--;
        }
        // a's insertion against b's removal
        if (a.to > b.index) {
            a.to--;
        } else {
            b.index++;
        }
        // a's removal against b's insertion
        if (a.index < b.to) {
            b.to--;
        } else {
            a.index++;
        }
        // the two insertions
        if (a.to < b.to) {
            b.to++;
        } else if (a.to > b.to) {
            a.to++;
        } else if (aEarlier) {
            b.to++;
        } else {
            a.to++;
        }
        if (a.index == a.to) {
            a.discarded = true;
        }
        if (b.index == b.to) {
            b.discarded = true;
        }
    }

    private static void eraseVsInsert(Op erase, Op insert) {
        erase.priorSize++;
        insert.priorSize--;
        if (insert.index <= erase.index) {
            erase.index++;
        } else {
            insert.index--;
        }
    }

    private static void insertVsSet(Op insert, Op set) {
        set.priorSize++;
        if (set.index >= insert.index) {
            set.index++;
        }
    }

    private static void eraseVsSet(Op erase, Op set) {
        set.priorSize--;
        if (erase.index == set.index) {
            set.discarded = true; // an update of an erased element
        } else if (set.index > erase.index) {
            set.index--;
        }
    }

    /** The ops of a stored record ({@code ops}: {@link #opsDocument}), as a list the caller may change. */
    static List<Op> opsOf(org.bson.Document d) {
        BsonDocument record = d.toBsonDocument(BsonDocument.class, com.mongodb.MongoClientSettings.getDefaultCodecRegistry());
        return new ArrayList<>(record.getArray("ops").getValues().stream().map(v -> Op.fromDocument(v.asDocument())).toList());
    }

    static BsonArray opsDocument(List<Op> ops) {
        BsonArray out = new BsonArray();
        ops.forEach(o -> out.add(o.toDocument()));
        return out;
    }
}
