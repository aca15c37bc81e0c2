package dev.thimble.runtime.sync;

import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * realm-core's list merge rules ({@link ListMerge}) for two concurrent edit sequences: whichever side
 * applies first, the other side's edits transformed past them lead to the same list (what makes the
 * server and every client converge), moves included; plus the cases the rules single out by hand.
 */
class ListMergeTest {
    /** Applies ops to a list as realm-core applies them (a move: remove at the source, insert at the target). */
    static List<String> apply(List<String> list, List<ListMerge.Op> ops) {
        List<String> out = new ArrayList<>(list);
        for (ListMerge.Op op : ops) {
            assertThat(op.priorSize).as("prior size of %s on %s", op, out).isEqualTo(out.size());
            switch (op.kind) {
                case INSERT -> out.add((int) op.index, op.value.asString().getValue());
                case ERASE -> out.remove((int) op.index);
                case SET -> out.set((int) op.index, op.value.asString().getValue());
                case MOVE -> out.add((int) op.to, out.remove((int) op.index));
                default -> throw new IllegalArgumentException(op.toString());
            }
        }
        return out;
    }

    /** The list after A's ops then B's transformed past them, and after B's then A's transformed: must be equal. */
    static List<String> converge(List<String> base, List<ListMerge.Op> a, long aTime, long aFile, List<ListMerge.Op> b, long bTime, long bFile) {
        List<String> serverOrder = apply(apply(base, a), ListMerge.transform(b, bTime, bFile, List.of(new ListMerge.Concurrent(aTime, aFile, a))));
        List<String> otherOrder = apply(apply(base, b), ListMerge.transform(a, aTime, aFile, List.of(new ListMerge.Concurrent(bTime, bFile, b))));
        assertThat(otherOrder).as("A %s, B %s on %s", a, b, base).isEqualTo(serverOrder);
        return serverOrder;
    }

    static ListMerge.Op insert(long i, String v, long size) {
        return new ListMerge.Op(ListMerge.Kind.INSERT, i, new BsonString(v), size);
    }

    static ListMerge.Op set(long i, String v, long size) {
        return new ListMerge.Op(ListMerge.Kind.SET, i, new BsonString(v), size);
    }

    static ListMerge.Op erase(long i, long size) {
        return new ListMerge.Op(ListMerge.Kind.ERASE, i, null, size);
    }

    static ListMerge.Op move(long from, long to, long size) {
        return ListMerge.Op.move(from, to, size);
    }

    @Test
    void aMoveCarriesAConcurrentUpdateOfItsElementAlong() {
        List<String> base = List.of("a", "b", "c");
        assertThat(converge(base, List.of(move(0, 2, 3)), 1, 2, List.of(set(0, "A", 3)), 2, 3)).isEqualTo(List.of("b", "c", "A"));
    }

    @Test
    void anEraseOfTheMovedElementWinsOverTheMove() {
        List<String> base = List.of("a", "b", "c");
        assertThat(converge(base, List.of(move(0, 2, 3)), 2, 2, List.of(erase(0, 3)), 1, 3)).isEqualTo(List.of("b", "c"));
    }

    @Test
    void ofTwoMovesOfOneElementTheLaterWins() {
        List<String> base = List.of("a", "b", "c", "d");
        assertThat(converge(base, List.of(move(0, 3, 4)), 1, 2, List.of(move(0, 1, 4)), 2, 3)).isEqualTo(List.of("b", "a", "c", "d"));
        assertThat(converge(base, List.of(move(0, 3, 4)), 3, 2, List.of(move(0, 1, 4)), 2, 3)).isEqualTo(List.of("b", "c", "d", "a"));
    }

    @Test
    void anInsertAtAMovesTargetIsOrderedByTimestampThenFileIdentityAsRealmCoreDoes() {
        List<String> base = List.of("a", "b", "c");
        // The move puts "a" at 1 (after "b"); the insert puts "x" at 2 of [a, b, c] (also after "b"). realm-core's
        // rule puts the moved element after the inserted one when the move is the earlier of the two.
        assertThat(converge(base, List.of(move(0, 1, 3)), 1, 2, List.of(insert(2, "x", 3)), 2, 3)).isEqualTo(List.of("b", "x", "a", "c"));
        assertThat(converge(base, List.of(move(0, 1, 3)), 2, 2, List.of(insert(2, "x", 3)), 1, 3)).isEqualTo(List.of("b", "a", "x", "c"));
        // The same millisecond: the lower file identity counts as the earlier one.
        assertThat(converge(base, List.of(move(0, 1, 3)), 5, 2, List.of(insert(2, "x", 3)), 5, 3)).isEqualTo(List.of("b", "x", "a", "c"));
        assertThat(converge(base, List.of(move(0, 1, 3)), 5, 4, List.of(insert(2, "x", 3)), 5, 3)).isEqualTo(List.of("b", "a", "x", "c"));
    }

    @Test
    void insertsAtOneIndexInTheSameMillisecondAreOrderedByFileIdentity() {
        List<String> base = List.of("a", "b");
        assertThat(converge(base, List.of(insert(1, "from-2", 2)), 7, 2, List.of(insert(1, "from-3", 2)), 7, 3))
                .isEqualTo(List.of("a", "from-2", "from-3", "b"));
        assertThat(converge(base, List.of(insert(1, "from-5", 2)), 7, 5, List.of(insert(1, "from-3", 2)), 7, 3))
                .isEqualTo(List.of("a", "from-3", "from-5", "b"));
    }

    /** Random concurrent sequences of inserts, erases, updates and moves converge whichever side goes first. */
    @Test
    void randomConcurrentEditsConverge() {
        Random random = new Random(19);
        for (int round = 0; round < 20_000; round++) {
            List<String> base = new ArrayList<>();
            int size = random.nextInt(6);
            for (int i = 0; i < size; i++) {
                base.add("e" + i);
            }
            List<ListMerge.Op> a = randomOps(random, base, "a");
            List<ListMerge.Op> b = randomOps(random, base, "b");
            long aTime = random.nextInt(3);
            long bTime = random.nextInt(3);
            long aFile = 2 + random.nextInt(2);
            long bFile = aFile == 2 ? 3 : 2;
            converge(base, a, aTime, aFile, b, bTime, bFile);
        }
    }

    private static List<ListMerge.Op> randomOps(Random random, List<String> base, String side) {
        List<String> list = new ArrayList<>(base);
        List<ListMerge.Op> ops = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
            int size = list.size();
            ListMerge.Op op;
            int choice = size == 0 ? 0 : random.nextInt(4);
            String value = side + k;
            op = switch (choice) {
                case 0 -> insert(random.nextInt(size + 1), value, size);
                case 1 -> erase(random.nextInt(size), size);
                case 2 -> set(random.nextInt(size), value, size);
                default -> move(random.nextInt(size), random.nextInt(size), size);
            };
            if (op.kind == ListMerge.Kind.MOVE && op.index == op.to) {
                continue; // realm-core does not write a move to the same place
            }
            ops.add(op);
            list = apply(list, List.of(op));
        }
        return ops;
    }

    /** Applies set and dictionary edits to a map (a set as value → value). */
    static java.util.Map<String, String> applyKeyed(java.util.Map<String, String> start, List<ListMerge.Op> ops) {
        java.util.Map<String, String> out = new java.util.TreeMap<>(start);
        for (ListMerge.Op op : ops) {
            switch (op.kind) {
                case ADD -> out.put(op.value.asString().getValue(), op.value.asString().getValue());
                case REMOVE -> out.remove(op.value.asString().getValue());
                case PUT -> {
                    if (op.value == Changesets.ERASED_VALUE) {
                        out.remove(op.key);
                    } else {
                        out.put(op.key, op.value.asString().getValue());
                    }
                }
                default -> throw new IllegalArgumentException(op.toString());
            }
        }
        return out;
    }

    /** Random concurrent set edits, and dictionary edits, give the same result whichever side goes first. */
    @Test
    void randomConcurrentSetAndDictionaryEditsConverge() {
        Random random = new Random(49);
        for (int round = 0; round < 5_000; round++) {
            boolean dictionary = random.nextBoolean();
            java.util.Map<String, String> base = new java.util.TreeMap<>();
            for (int i = 0; i < random.nextInt(4); i++) {
                base.put("v" + i, dictionary ? "old" + i : "v" + i);
            }
            List<ListMerge.Op> a = randomKeyed(random, dictionary, "a");
            List<ListMerge.Op> b = randomKeyed(random, dictionary, "b");
            long aTime = random.nextInt(3);
            long bTime = random.nextInt(3);
            long aFile = 2 + random.nextInt(2);
            long bFile = aFile == 2 ? 3 : 2;
            var serverOrder = applyKeyed(applyKeyed(base, a), ListMerge.transform(b, bTime, bFile, List.of(new ListMerge.Concurrent(aTime, aFile, a))));
            var otherOrder = applyKeyed(applyKeyed(base, b), ListMerge.transform(a, aTime, aFile, List.of(new ListMerge.Concurrent(bTime, bFile, b))));
            assertThat(otherOrder).as("A %s, B %s on %s", a, b, base).isEqualTo(serverOrder);
        }
    }

    private static List<ListMerge.Op> randomKeyed(Random random, boolean dictionary, String side) {
        List<ListMerge.Op> ops = new ArrayList<>();
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
            String target = "v" + random.nextInt(5);
            if (dictionary) {
                ops.add(new ListMerge.Op(ListMerge.Kind.PUT, -1, -1, target,
                        random.nextInt(3) == 0 ? Changesets.ERASED_VALUE : new BsonString(side + k), -1));
            } else {
                ops.add(new ListMerge.Op(random.nextBoolean() ? ListMerge.Kind.ADD : ListMerge.Kind.REMOVE, -1, new BsonString(target), -1));
            }
        }
        return ops;
    }

    static ListMerge.Op sub(long index, String sub, String value) {
        return new ListMerge.Op(ListMerge.Kind.SUB, index, -1, null, new org.bson.BsonString(value), -1, sub);
    }

    @Test
    void anUpdateInsideAnEmbeddedElementFollowsItsElementAndDiesWithIt() {
        ListMerge.Op shifted = sub(1, "city", "Oslo");
        ListMerge.merge(new ListMerge.Op(ListMerge.Kind.INSERT, 0, Changesets.NEW_OBJECT, 2), shifted, true);
        assertThat(shifted.index).isEqualTo(2);
        assertThat(shifted.priorSize).as("an update of a sub-field has no prior size").isEqualTo(-1);

        ListMerge.Op erased = sub(1, "city", "Oslo");
        ListMerge.merge(new ListMerge.Op(ListMerge.Kind.ERASE, 1, null, 2), erased, false);
        assertThat(erased.discarded).isTrue();

        ListMerge.Op moved = sub(0, "city", "Oslo");
        ListMerge.merge(ListMerge.Op.move(0, 2, 3), moved, true);
        assertThat(moved.index).isEqualTo(2);

        ListMerge.Op replaced = sub(0, "city", "Oslo");
        ListMerge.merge(new ListMerge.Op(ListMerge.Kind.SET, 0, Changesets.NEW_OBJECT, 1), replaced, false);
        assertThat(replaced.discarded).as("a new embedded object leaves updates inside it alone").isFalse();
    }

    @Test
    void ofTwoUpdatesOfOneSubFieldTheLaterWinsAndOtherSubFieldsDoNotMeet() {
        ListMerge.Op earlier = sub(0, "city", "a");
        ListMerge.Op later = sub(0, "city", "b");
        ListMerge.merge(earlier, later, true);
        assertThat(earlier.discarded).isTrue();
        assertThat(later.discarded).isFalse();

        ListMerge.Op city = sub(0, "city", "a");
        ListMerge.Op floor = sub(0, "floor", "b");
        ListMerge.merge(city, floor, false);
        assertThat(city.discarded || floor.discarded).isFalse();
    }

    /**
     * A client's second changeset is transformed past the concurrent edits as its client holds them after its first
     * (realm-core's reciprocal history), not as they were integrated: A erased x; B, not having seen it, inserted at
     * the front and then updated x (now at index 1). B's update must die with x, not land on B's own insert.
     */
    @Test
    void aClientsLaterChangesetMeetsTheConcurrentEditsAsItsEarlierOneLeftThem() {
        List<ListMerge.Concurrent> concurrent = List.of(new ListMerge.Concurrent(100, 2,
                new java.util.ArrayList<>(List.of(new ListMerge.Op(ListMerge.Kind.ERASE, 0, null, 2))), 5));
        List<ListMerge.Op> first = ListMerge.transformBoth(List.of(new ListMerge.Op(ListMerge.Kind.INSERT, 0,
                new org.bson.BsonString("b"), 2)), 200, 3, concurrent);
        List<ListMerge.Op> second = ListMerge.transformBoth(List.of(new ListMerge.Op(ListMerge.Kind.SET, 1,
                new org.bson.BsonString("X"), 3)), 201, 3, concurrent);
        List<String> server = apply(apply(apply(List.of("x", "y"), List.of(new ListMerge.Op(ListMerge.Kind.ERASE, 0, null, 2))), first), second);
        assertThat(server).containsExactly("b", "y");
        // Against the edits as integrated, the update would have landed on B's insert.
        List<ListMerge.Op> naive = ListMerge.transform(List.of(new ListMerge.Op(ListMerge.Kind.SET, 1, new org.bson.BsonString("X"), 3)), 201, 3,
                List.of(new ListMerge.Concurrent(100, 2, List.of(new ListMerge.Op(ListMerge.Kind.ERASE, 0, null, 2)))));
        assertThat(naive).hasSize(1);
    }
}
