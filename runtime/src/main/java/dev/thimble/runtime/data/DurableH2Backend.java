package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The library's H2 backend with two changes, both made in {@link #handleCommand}, the one method
 * every client command passes through (OP_MSG via {@code handleMessage}, legacy OP_QUERY directly):
 * commands the server cannot honour are judged by {@link EmbeddedLimits} before they run, and every
 * command that may have changed data is committed to the file before its reply is returned, so a
 * write the client saw acknowledged is on disk (in the OS, not necessarily on the platter: see
 * {@code j: true}).
 */
final class DurableH2Backend extends H2Backend {

    /** Commands that never change data; any other command is committed after it runs. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
            "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
            "ismaster", "hello", "buildinfo", "ping", "serverstatus", "whatsmyuri", "killcursors", "endsessions",
            "dbstats", "collstats", "getlasterror", "connectionstatus", "hostinfo", "getcmdlineopts",
            "getfreemonitoringstatus", "getlog", "getparameter", "validate");

    /**
     * Drivers use sessions (and so can send transactions, which are then refused with a clear
     * error) only when the server announces a session timeout; the library announces none.
     */
    private static final int LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

    private static final int COMMAND_NOT_SUPPORTED = 115;

    private final MVStore store;
    private final EmbeddedLimits limits;

    DurableH2Backend(MVStore store, EmbeddedLimits limits) {
        super(store, Clock.systemDefaultZone());
        this.store = store;
        this.limits = limits;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        EmbeddedLimits.Verdict verdict = limits.judge(databaseName, command, query);
        switch (verdict.action()) {
            case REFUSE -> {
                return refusal(verdict.message());
            }
            case ACKNOWLEDGE -> {
                return new Document("ok", 1.0);
            }
            case EXECUTE -> {
                // run below
            }
        }
        String name = command.toLowerCase(Locale.ROOT);
        if (READ_ONLY_COMMANDS.contains(name) || (name.equals("aggregate") && !writesOutput(query))) {
            Document response = super.handleCommand(channel, databaseName, command, query);
            if (name.equals("ismaster")) {
                response.put("logicalSessionTimeoutMinutes", LOGICAL_SESSION_TIMEOUT_MINUTES);
            }
            return response;
        }
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // Also after a failed command: part of a batch may have been written before the error.
            store.commit();
            if (journaled(query)) {
                store.sync();
            }
        }
    }

    /** An error reply in the server's own shape, without the library's ERROR log and stack trace. */
    private static Document refusal(String message) {
        return new Document("$err", message)
                .append("errmsg", message)
                .append("code", COMMAND_NOT_SUPPORTED)
                .append("codeName", "CommandNotSupported")
                .append("ok", 0.0);
    }

    private static boolean writesOutput(Document query) {
        if (!(query.get("pipeline") instanceof List<?> pipeline)) {
            return false;
        }
        return pipeline.stream().anyMatch(stage -> stage instanceof Map<?, ?> map
                && (map.containsKey("$out") || map.containsKey("$merge")));
    }

    /** {@code writeConcern: {j: true}} asks for the write to reach the disk itself: fsync. */
    private static boolean journaled(Document query) {
        return query.get("writeConcern") instanceof Map<?, ?> writeConcern && Boolean.TRUE.equals(writeConcern.get("j"));
    }
}
