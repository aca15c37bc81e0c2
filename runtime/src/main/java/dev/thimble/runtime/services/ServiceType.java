package dev.thimble.runtime.services;

import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonValue;

import java.util.Set;

/**
 * One kind of non-MongoDB service ({@code http}, {@code twilio}, {@code aws}, {@code aws-s3},
 * {@code aws-ses}, {@code gcm}, {@code github}): the actions a function can call on a service of
 * this type configured in {@code services/<name>/config.json}.
 *
 * <p>The caller (the service registry) has already checked the service's rules for the action and
 * logs the call; an implementation only speaks the outside service's HTTP protocol. Called on a
 * worker thread, never on a thread running JavaScript, possibly concurrently.
 */
public interface ServiceType {

    /** The {@code type} values in {@code config.json} this implementation serves. */
    Set<String> types();

    /**
     * Runs one action and returns what the function receives (Extended JSON-compatible BSON).
     *
     * @throws ServiceCallException for failures the function should see (the outside service refused,
     *                              a required argument is missing); its message becomes the JS error's
     */
    BsonValue call(ConfiguredService service, ServiceRequest request);

    /**
     * What the service's rules see as {@code %%args} for {@code request}: by default the arguments as the
     * function passed them (the http type shows {@code url} split into {@code {scheme, host, path, query}}).
     *
     * @throws ServiceCallException when the arguments are unusable (the call is then refused before any rule runs)
     */
    default org.bson.BsonDocument ruleArguments(ServiceRequest request) {
        return request.arguments();
    }
}
