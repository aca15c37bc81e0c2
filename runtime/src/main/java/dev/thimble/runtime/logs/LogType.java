package dev.thimble.runtime.logs;

/**
 * What produced a log record; the names are the Admin API's {@code type} values (STITCH-SPEC §7)
 * and are stored as such.
 */
public enum LogType {
    /** A function called by a client ({@code functions/call} without a service). */
    FUNCTION,
    /** A service action called by a client, e.g. a {@code mongodb-atlas} find. */
    SERVICE_FUNCTION,
    STREAM_FUNCTION,
    SERVICE_STREAM_FUNCTION,
    /** A login, logout, registration, token refresh or failed attempt. */
    AUTH,
    /** An incoming webhook call (Stitch-era services). */
    WEBHOOK,
    /** An HTTPS endpoint call. */
    ENDPOINT,
    PUSH,
    API,
    API_KEY,
    GRAPHQL,
    DB_TRIGGER,
    AUTH_TRIGGER,
    SCHEDULED_TRIGGER,
    TRIGGER_FAILURE,
    TRIGGER_ERROR_HANDLER,
    SYNC_CONNECTION_START,
    SYNC_CONNECTION_END,
    SYNC_SESSION_START,
    SYNC_SESSION_END,
    SYNC_CLIENT_WRITE,
    SYNC_ERROR,
    SYNC_OTHER,
    SCHEMA_ADDITIVE_CHANGE,
    SCHEMA_GENERATION,
    SCHEMA_VALIDATION,
    LOG_FORWARDER,
    /** A change made through the admin API: who changed what (Thimble's own type). */
    ADMIN
}
