package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A sync event has no URL, function or service: the Logs panel names it by its first line. */
class SyncRecordNameTest {
    @Test
    void aSyncRecordIsNamedByWhatHappened() {
        LogRecord started = LogRecord.start(LogType.SYNC_SESSION_START, Clock.systemUTC()).userId("u1")
                .message("Session started for client file 2 (bootstrap)").message("Query version 1: {}").finish();
        assertThat(LogsView.name(started)).isEqualTo("Session started for client file 2 (bootstrap)");
        LogRecord bare = LogRecord.start(LogType.SYNC_ERROR, Clock.systemUTC()).error("Bad changeset", "SyncError212").finish();
        assertThat(LogsView.name(bare)).isEmpty();
    }
}
