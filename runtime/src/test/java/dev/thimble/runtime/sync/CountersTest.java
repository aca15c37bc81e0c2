package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.SyncStamps.Stamp;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** realm-core's AddInteger-versus-Update rule as the server applies it (decision record "sync counters"). */
class CountersTest {
    static final long A = 2, B = 3;

    static Counters.Increment increment(long timestamp, long origin, long version, long delta) {
        return new Counters.Increment(new Stamp(timestamp, origin, version), delta);
    }

    @Test
    void anIncrementSurvivesAnEarlierSetAndIsDroppedByALaterOne() {
        Stamp set = new Stamp(200, A, 7);
        assertThat(Counters.survives(new Stamp(300, B, 9), set)).isTrue();
        assertThat(Counters.survives(new Stamp(100, B, 9), set)).isFalse();
        // Same millisecond: the file identity orders them, as realm-core's Discriminant does.
        assertThat(Counters.survives(new Stamp(200, B, 9), set)).as("file 3 after file 2").isTrue();
        assertThat(Counters.survives(new Stamp(200, A, 9), new Stamp(200, B, 7))).isFalse();
    }

    @Test
    void anIncrementSurvivesADefaultValueWhateverTheTimestamps() {
        Stamp defaultValue = new Stamp(900, A, 7, true);
        assertThat(Counters.survives(new Stamp(100, B, 9), defaultValue)).isTrue();
        assertThat(Counters.survives(new Stamp(100, B, 9), defaultValue.asDefault(false))).isFalse();
    }

    @Test
    void aSetGainsTheConcurrentIncrementsThatSurviveIt() {
        List<Counters.Increment> concurrent = List.of(increment(100, B, 5, 1), increment(250, B, 6, 10), increment(300, A, 8, 100));
        assertThat(Counters.gained(new Stamp(200, A, 9), concurrent)).isEqualTo(110);
        assertThat(Counters.gained(new Stamp(400, A, 9), concurrent)).isZero();
        assertThat(Counters.gained(new Stamp(400, A, 9, true), concurrent)).as("a default keeps them all").isEqualTo(111);
    }

    @Test
    void addingWrapsAsRealmCoreDoesAndANullAbsorbsIncrements() {
        assertThat(Counters.plus(new BsonInt64(Long.MAX_VALUE), 1)).isEqualTo(new BsonInt64(Long.MIN_VALUE));
        assertThat(Counters.plus(new BsonInt32(40), 2)).isEqualTo(new BsonInt64(42));
        assertThat(Counters.plus(BsonNull.VALUE, 5)).isEqualTo(BsonNull.VALUE);
    }

    @Test
    void anIncrementOfANullChangesNothingButALaterArrivingEarlierSetGainsIt() {
        assertThat(Counters.changes(BsonNull.VALUE, false)).isFalse();
        assertThat(Counters.changes(new BsonInt64(0), true)).isTrue();
        assertThat(Counters.changes(null, false)).as("an absent field a client holds as 0 takes $inc").isTrue();
        assertThat(Counters.changes(null, true)).as("an absent field clients hold as null absorbs it").isFalse();
        // B's +5 met a null (recorded, not written); A's concurrent set of 10, earlier, arrives after it and gains it.
        Counters.Increment onNull = increment(300, B, 8, 5);
        Stamp earlierSet = new Stamp(200, A, 9);
        assertThat(Counters.plus(new BsonInt64(10), Counters.gained(earlierSet, List.of(onNull)))).isEqualTo(new BsonInt64(15));
        assertThat(Counters.gained(new Stamp(400, A, 9), List.of(onNull))).as("a later set drops it").isZero();
    }

    @Test
    void anIncrementsRecordCarriesItsWritersStampAndAmount() {
        Document record = Counters.record("shop.parcels/x", "hits", 12, new Stamp(345, B, 12), -4);
        assertThat(Counters.isIncrement(record)).isTrue();
        assertThat(Counters.isIncrement(new Document("ops", List.of()))).isFalse();
        Counters.Increment read = Counters.Increment.of(record);
        assertThat(read.stamp()).isEqualTo(new Stamp(345, B, 12));
        assertThat(read.delta()).isEqualTo(-4);
    }

    @Test
    void aDefaultStampIsRememberedAsOne() {
        Stamp stamp = new Stamp(345, B, 12, true);
        assertThat(Stamp.of(stamp.toDocument())).isEqualTo(stamp);
        assertThat(Stamp.of(stamp.asDefault(false).toDocument()).dflt()).isFalse();
    }
}
