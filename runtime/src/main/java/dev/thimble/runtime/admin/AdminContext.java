package dev.thimble.runtime.admin;

import dev.thimble.runtime.apps.AppHome;
import dev.thimble.runtime.auth.LoginThrottle;

import java.time.Clock;

/** What the admin routes share: the home they manage, its admins and their tokens, the login throttle and the audit. */
record AdminContext(AppHome home, AdminIdentities identities, AdminTokens tokens, LoginThrottle throttle, AdminAudit audit,
                    Clock clock) {
    String groupId() {
        return identities.groupId();
    }
}
