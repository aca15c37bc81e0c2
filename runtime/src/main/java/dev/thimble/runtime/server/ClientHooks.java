package dev.thimble.runtime.server;

import java.util.List;
import java.util.Map;

/**
 * What the incoming-webhook and HTTPS-endpoint routes call: find the hook, check its validation and
 * identity, run its function, and say what to answer. Failures the caller should see are
 * {@link dev.thimble.runtime.errors.ApiError}s (401/403 validation, 404, 405, 413, 500 for a throwing function).
 */
public interface ClientHooks {

    /**
     * One incoming request, read in full.
     *
     * @param url     the path and query as received (the log shows it with any secret removed)
     * @param query   decoded query parameters, in order
     * @param headers header name (as sent) to values
     * @param body    the raw body (empty when there was none)
     */
    record Request(String method, String url, String rawQuery, Map<String, List<String>> query,
                   Map<String, List<String>> headers, byte[] body, String remoteAddress) {

        /** The first value of a header, matched case-insensitively, or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return entry.getValue().getFirst();
                }
            }
            return null;
        }

        /** The first value of a query parameter, or null. */
        public String queryParam(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** The answer: status, headers (name to values) and body bytes (possibly empty). */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** {@code /app/<id>/service/<service>/incoming_webhook/<webhook>} (STITCH-SPEC §5B). */
    Reply webhook(String service, String webhook, Request request);

    /** {@code /app/<id>/endpoint/<route>} (STITCH-SPEC §5C); {@code route} starts with {@code /}. */
    Reply endpoint(String route, Request request);

    /**
     * The Data API, {@code POST /app/<id>/endpoint/data/<version>/action/<action>}; by default this
     * server does not serve it (404).
     */
    default Reply dataApi(String version, String action, Request request) {
        throw dev.thimble.runtime.errors.ApiError.notFound("NotFound", "this server does not serve the Data API");
    }

    /** The largest request body a hook accepts; larger ones get 413. */
    long maxBodyBytes();
}
