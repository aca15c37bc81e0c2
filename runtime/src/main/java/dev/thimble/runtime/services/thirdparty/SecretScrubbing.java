package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonValue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wraps a service type so that no error it raises can carry one of the service's secret values, even
 * when an outside service (or a proxy in front of it) echoes a credential back in its error body.
 */
final class SecretScrubbing implements ServiceType {
    static final String MASK = "****";

    private final ServiceType inner;
    private final List<String> secretKeys;

    SecretScrubbing(ServiceType inner, List<String> secretKeys) {
        this.inner = inner;
        this.secretKeys = secretKeys;
    }

    @Override
    public Set<String> types() {
        return inner.types();
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        try {
            return inner.call(service, request);
        } catch (ServiceCallException e) {
            String message = scrub(e.getMessage(), service);
            if (message.equals(e.getMessage())) {
                throw e;
            }
            // The cause may hold the secret too (an exception from the HTTP client quoting a URL or header).
            throw new ServiceCallException(message);
        }
    }

    private String scrub(String message, ConfiguredService service) {
        if (message == null) {
            return "";
        }
        String out = message;
        for (String key : secretKeys) {
            Optional<String> value = service.secrets().apply(key);
            if (value.isPresent() && value.get().length() >= 4) {
                out = out.replace(value.get(), MASK);
            }
        }
        return out;
    }
}
