package dev.thimble.runtime.logs;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogRingTest {

    private static LogRecord record(String function) {
        return LogRecord.start(LogType.FUNCTION, Clock.systemUTC()).function(function, "id-" + function).message("ran " + function)
                .arguments(new BsonArray(List.of(new BsonString(function))), false)
                .decision(new BsonDocument("documents", new BsonInt32(3))).ruleMetrics(new BsonDocument("rules", new BsonInt32(1)))
                .result(new BsonString("done"), false).finish();
    }

    @Test
    void aReleasedRecordKeepsItsPlaceAndAllButItsHeavyParts() {
        LogRing ring = new LogRing(4);
        List<LogRecord> appended = List.of(record("a"), record("b"), record("c"));
        appended.forEach(ring::append);

        assertThat(ring.release(1)).isTrue();
        assertThat(ring.release(1)).as("released once").isFalse();

        LogRing.Read read = ring.read(0, 10);
        assertThat(read.records()).hasSize(3);
        assertThat(read.released().stream().toArray()).containsExactly(1);
        LogRecord light = read.records().get(1);
        LogRecord whole = appended.get(1);
        assertThat(light.id()).isEqualTo(whole.id());
        assertThat(light.functionName()).isEqualTo("b");
        assertThat(light.messages()).containsExactly("ran b");
        assertThat(light.started()).isEqualTo(whole.started());
        assertThat(light.status()).isEqualTo(whole.status());
        assertThat(light.arguments()).isNull();
        assertThat(light.decision()).isNull();
        assertThat(light.ruleMetrics()).isNull();
        assertThat(light.result()).isNull();
        assertThat(light.heavyBytes()).isZero();
        assertThat(whole.heavyBytes()).isPositive();
        assertThat(read.records().get(0)).isEqualTo(appended.get(0));
        assertThat(read.records().get(2)).isEqualTo(appended.get(2));
        assertThat(ring.recent(3)).containsExactly(appended.get(0), light, appended.get(2));
    }

    @Test
    void aRecordTheWritersOverwroteIsNotReleasedAndItsSuccessorStaysWhole() {
        LogRing ring = new LogRing(2);
        LogRecord first = record("first");
        ring.append(first);
        ring.append(record("second"));
        LogRecord third = record("third"); // takes the first one's slot
        ring.append(third);

        assertThat(ring.release(0)).isFalse();
        assertThat(ring.release(5)).as("never appended").isFalse();

        assertThat(ring.recent(1)).containsExactly(third);
        assertThat(ring.read(2, 1).released().isEmpty()).isTrue();
    }
}
