package dev.thimble.runtime.sync;

import dev.thimble.runtime.sync.SyncStamps.Stamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's merge decision for one uploaded field write, as realm-core's transform decides it. */
class SyncStampsTest {
    static final long CLIENT_A = 2, CLIENT_B = 3;

    @Test
    void aFieldNobodyWroteTakesTheUpload() {
        assertThat(SyncStamps.wins(new Stamp(100, CLIENT_A, 9), 0, null)).isTrue();
    }

    @Test
    void ofTwoConcurrentWritesTheLaterTimestampWins() {
        Stamp stored = new Stamp(200, CLIENT_B, 7); // B's write at server version 7, which A had not seen
        assertThat(SyncStamps.wins(new Stamp(150, CLIENT_A, 9), 5, stored)).isFalse();
        assertThat(SyncStamps.wins(new Stamp(250, CLIENT_A, 9), 5, stored)).isTrue();
    }

    @Test
    void equalTimestampsAreOrderedByOriginFileIdentity() {
        Stamp storedByB = new Stamp(200, CLIENT_B, 7);
        assertThat(SyncStamps.wins(new Stamp(200, CLIENT_A, 9), 5, storedByB)).as("file 2 < file 3").isFalse();
        Stamp storedByA = new Stamp(200, CLIENT_A, 7);
        assertThat(SyncStamps.wins(new Stamp(200, CLIENT_B, 9), 5, storedByA)).isTrue();
    }

    @Test
    void aWriteTheClientHadSeenIsNotConcurrentAndAlwaysLoses() {
        Stamp stored = new Stamp(900, CLIENT_B, 7); // later clock, but A had integrated version 7
        assertThat(SyncStamps.concurrent(stored, CLIENT_A, 7)).isFalse();
        assertThat(SyncStamps.wins(new Stamp(100, CLIENT_A, 9), 7, stored)).isTrue();
    }

    @Test
    void aClientsOwnEarlierWriteIsNeverConcurrentWithIt() {
        Stamp own = new Stamp(900, CLIENT_A, 8);
        assertThat(SyncStamps.concurrent(own, CLIENT_A, 0)).isFalse();
        assertThat(SyncStamps.wins(new Stamp(100, CLIENT_A, 9), 0, own)).isTrue();
    }
}
