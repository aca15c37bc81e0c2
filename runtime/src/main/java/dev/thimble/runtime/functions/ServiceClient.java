package dev.thimble.runtime.functions;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The non-MongoDB services behind {@code context.services.get(name)} (http, twilio, aws, …) and the
 * built-in {@code context.http}; the implementation checks the service's rules and logs each call.
 *
 * <p>Called on a worker thread, never on the thread running JavaScript, possibly concurrently.
 * Throw {@link ServiceCallException} for errors the function should see (a rule denies, the host is
 * unreachable); anything else is logged and the function gets a generic error.
 */
@FunctionalInterface
public interface ServiceClient {
    /** The service name {@link #call} receives for {@code context.http} (no configured service). */
    String CONTEXT_HTTP = "context.http";

    /**
     * Runs {@code action} on the service named {@code service}.
     *
     * @param region  the region the function chose ({@code svc.s3("us-east-1")}), or null
     * @param request the HTTP request behind the execution ({@code %%request} in service rules)
     */
    BsonValue call(String service, String action, BsonDocument arguments, String region, Caller caller, RequestInfo request);

    /** For engines without services: every call fails with a clear message. */
    ServiceClient NONE = (service, action, arguments, region, caller, request) -> {
        throw new ServiceCallException((service.equals(CONTEXT_HTTP) ? "context.http" : "service '" + service + "'")
                + " cannot be reached from this runtime (no service registry is configured)");
    };
}
