package dev.thimble.runtime.sync;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogType;

import java.time.Clock;
import java.util.List;

/**
 * The app's log records of Device Sync, one per event, in the app's logs (the workbench's Logs panel
 * and the admin API's logs): connection start and end, session start (with the subscription query,
 * bootstrap or resume) and end, client writes, downloads, compensating writes and errors. The types
 * are App Services' sync log types.
 */
final class SyncLog {
    private final LogService logs;
    private final Clock clock;

    /** @param logs the app's logs, or null to log nothing (a service started without them) */
    SyncLog(LogService logs, Clock clock) {
        this.logs = logs;
        this.clock = clock;
    }

    void connectionStarted(String userId, String remoteAddress) {
        append(LogRecord.start(LogType.SYNC_CONNECTION_START, clock).userId(userId).remoteIpAddress(remoteAddress)
                .message("Sync connection opened"));
    }

    void connectionEnded(String userId, String remoteAddress) {
        append(LogRecord.start(LogType.SYNC_CONNECTION_END, clock).userId(userId).remoteIpAddress(remoteAddress)
                .message("Sync connection closed"));
    }

    void sessionStarted(String userId, long fileIdent, long queryVersion, String query, String how) {
        append(LogRecord.start(LogType.SYNC_SESSION_START, clock).userId(userId)
                .message("Session started for client file " + fileIdent + " (" + how + ")")
                .message("Query version " + queryVersion + ": " + query));
    }

    void sessionEnded(String userId, long fileIdent) {
        append(LogRecord.start(LogType.SYNC_SESSION_END, clock).userId(userId)
                .message("Session ended for client file " + fileIdent));
    }

    void subscriptionChanged(String userId, long fileIdent, long queryVersion, String query, int objects) {
        append(LogRecord.start(LogType.SYNC_OTHER, clock).userId(userId)
                .message("Subscriptions of client file " + fileIdent + " changed to query version " + queryVersion + ": " + query)
                .message("Bootstrap: " + objects + " objects"));
    }

    void clientWrite(String userId, long fileIdent, long clientVersion, long serverVersion, List<String> written) {
        LogRecord.Builder b = LogRecord.start(LogType.SYNC_CLIENT_WRITE, clock).userId(userId)
                .message("Upload from client file " + fileIdent + ", client version " + clientVersion
                        + " integrated at server version " + serverVersion + ": " + written.size() + " objects written");
        written.stream().limit(20).forEach(w -> b.message("  " + w));
        if (written.size() > 20) {
            b.message("  … and " + (written.size() - 20) + " more");
        }
        append(b);
    }

    void download(String userId, long fileIdent, long serverVersion, int changesets, String why) {
        append(LogRecord.start(LogType.SYNC_OTHER, clock).userId(userId)
                .message("Download to client file " + fileIdent + " at server version " + serverVersion + ": "
                        + changesets + " changesets (" + why + ")"));
    }

    void compensatingWrite(String userId, long fileIdent, List<String> reasons) {
        LogRecord.Builder b = LogRecord.start(LogType.SYNC_ERROR, clock).userId(userId)
                .error("Compensating write for client file " + fileIdent + ": " + String.join(" | ", reasons), "CompensatingWrite");
        reasons.forEach(b::message);
        append(b);
    }

    void error(String userId, int code, String message) {
        append(LogRecord.start(LogType.SYNC_ERROR, clock).userId(userId).error(message, "SyncError" + code));
    }

    private void append(LogRecord.Builder record) {
        if (logs != null) {
            logs.append(record.finish());
        }
    }
}
