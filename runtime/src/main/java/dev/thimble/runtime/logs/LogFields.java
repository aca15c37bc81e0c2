package dev.thimble.runtime.logs;

/** The stored field names of a log record (STITCH-SPEC §7 "Log record"); queries use them too. */
final class LogFields {
    static final String ID = "_id";
    static final String CO_ID = "co_id";
    static final String TYPE = "type";
    static final String REQUEST_URL = "request_url";
    static final String REQUEST_METHOD = "request_method";
    static final String STARTED = "started";
    static final String COMPLETED = "completed";
    static final String USER_ID = "user_id";
    static final String REMOTE_IP = "remote_ip_address";
    static final String PLATFORM = "platform";
    static final String PLATFORM_VERSION = "platform_version";
    static final String SDK_NAME = "sdk_name";
    static final String SDK_VERSION = "sdk_version";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String ERROR_CODE = "error_code";
    static final String FUNCTION_NAME = "function_name";
    static final String FUNCTION_ID = "function_id";
    static final String SERVICE_NAME = "service_name";
    static final String SERVICE_ACTION = "service_action";
    static final String NAMESPACE = "namespace";
    static final String EVENT_SUBSCRIPTION_ID = "event_subscription_id";
    static final String EVENT_SUBSCRIPTION_NAME = "event_subscription_name";
    static final String ARGUMENTS = "arguments";
    static final String RESULT = "result";
    static final String MESSAGES = "messages";
    static final String DECISION = "decision";
    static final String RULE_METRICS = "rule_metrics";
    static final String AUTH_EVENT = "auth_event";
    static final String AUTH_PROVIDER = "provider";
    static final String AUTH_FAIL_MESSAGE = "failMessage";

    private LogFields() {}
}
