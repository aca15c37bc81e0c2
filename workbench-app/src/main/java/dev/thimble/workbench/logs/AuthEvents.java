package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;

import java.util.Locale;

/**
 * What an AUTH record was — a login, a registration, a confirmation, a password reset, a token refresh,
 * a logout — read from its request (the client API's auth routes), with the provider and the user, for
 * the logs table and detail.
 */
public final class AuthEvents {
    private AuthEvents() {
    }

    /** The kind of auth event: "login", "registration", "email confirmation", "password reset", "refresh", "logout", or "auth". */
    public static String kind(LogRecord r) {
        String url = r.requestUrl() == null ? "" : r.requestUrl().toLowerCase(Locale.ROOT);
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        String method = r.requestMethod() == null ? "" : r.requestMethod().toUpperCase(Locale.ROOT);
        if (path.endsWith("/auth/session")) {
            return method.equals("DELETE") ? "logout" : "refresh";
        }
        if (path.contains("/register/email/confirm") || path.contains("/confirm")) {
            return "email confirmation";
        }
        if (path.contains("/register")) {
            return "registration";
        }
        if (path.contains("/reset")) {
            return "password reset";
        }
        if (path.endsWith("/login")) {
            return "login";
        }
        if (path.contains("/api_keys")) {
            return "API key";
        }
        return "auth";
    }

    /** The provider the record names, or "" (a refresh or logout names none). */
    public static String provider(LogRecord r) {
        if (r.authEvent() != null && r.authEvent().provider() != null) {
            return r.authEvent().provider();
        }
        String url = r.requestUrl() == null ? "" : r.requestUrl();
        int at = url.indexOf("/auth/providers/");
        if (at >= 0) {
            String rest = url.substring(at + "/auth/providers/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return "";
    }

    /** For the table's name column: {@code login · local-userpass}, {@code logout}; null for other records. */
    public static String label(LogRecord r) {
        if (r.type() != LogType.AUTH) {
            return null;
        }
        String provider = provider(r);
        return kind(r) + (provider.isEmpty() ? "" : " · " + provider);
    }

    /** One line for the detail: {@code login with local-userpass by user 65a… — failed: invalid password}. */
    public static String describe(LogRecord r) {
        StringBuilder b = new StringBuilder(kind(r));
        String provider = provider(r);
        if (!provider.isEmpty()) {
            b.append(" with ").append(provider);
        }
        if (r.userId() != null && !r.userId().isBlank()) {
            b.append(" by user ").append(r.userId());
        }
        String failed = r.authEvent() == null ? null : r.authEvent().failMessage();
        if (failed != null && !failed.isBlank()) {
            b.append(" — failed: ").append(failed);
        } else if (r.isError() && r.error() != null) {
            b.append(" — failed: ").append(r.error());
        }
        return b.toString();
    }
}
