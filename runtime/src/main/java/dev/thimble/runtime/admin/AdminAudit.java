package dev.thimble.runtime.admin;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Records who changed what through the admin API: an {@code ADMIN} record in the app's own log (the
 * workbench's log view shows it beside the app's other records), and a line in the server's log.
 */
final class AdminAudit {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    private final Clock clock;

    AdminAudit(Clock clock) {
        this.clock = clock;
    }

    /** Notes a change made to {@code app} by the call's admin, e.g. {@code "created function sum"}. */
    void changed(AdminCall call, AppTarget app, String what) {
        String who = who(call);
        LOG.info("Admin {} {} in {}", who, what, app.clientAppId());
        try {
            app.host().logs().append(LogRecord.start(LogType.ADMIN, clock)
                    .request(call.exchange().getRequestMethod().toString(), call.exchange().getRequestPath())
                    .remoteIpAddress(address(call))
                    .message("admin " + who + " " + what)
                    .finish(LogStatus.SUCCESS));
        } catch (RuntimeException e) {
            LOG.warn("The admin record of \"{}\" could not be written to {}'s log", what, app.clientAppId(), e);
        }
    }

    /** Notes a change to the home itself (an app created or deleted) in the server's log. */
    void home(AdminCall call, String what) {
        LOG.info("Admin {} {}", who(call), what);
    }

    private static String who(AdminCall call) {
        AdminIdentities.Admin admin = call.admin();
        return admin == null ? "(unknown)" : admin.name() + " (" + admin.kind() + " " + admin.id() + ")";
    }

    static String address(AdminCall call) {
        var source = call.exchange().getSourceAddress();
        return source == null ? "unknown" : source.getAddress().getHostAddress();
    }
}
