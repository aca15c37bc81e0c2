package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonValue;

import java.util.Set;

/** The {@code github} service type: it only receives webhooks (see {@link GitHubSignature}), so every outbound call is refused. */
final class GitHubService implements ServiceType {
    @Override
    public Set<String> types() {
        return Set.of("github");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        throw new ServiceCallException(Where.of(service, request.action()) + ": github services have no actions a function"
                + " can call; they only receive GitHub's webhooks (services/" + service.name() + "/incoming_webhooks/)."
                + " To call GitHub's API, use an http service");
    }
}
