package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/** The service types as the registry gets them, and services configured the way a bundle configures them. */
final class Services {
    static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Services() {
    }

    static ServiceType type(String type) {
        return ThirdPartyServices.all(HTTP, CLOCK).stream().filter(t -> t.types().contains(type)).findFirst().orElseThrow();
    }

    static ConfiguredService configured(String name, String type, String configJson, Map<String, String> secrets) {
        return new ConfiguredService(name, type, Json.parse(configJson), key -> Optional.ofNullable(secrets.get(key)));
    }

    static BsonValue call(ConfiguredService service, String action, String argsJson) {
        return call(service, action, BsonDocument.parse(argsJson), null);
    }

    static BsonValue call(ConfiguredService service, String action, BsonDocument args, String region) {
        return type(service.type()).call(service, new ServiceRequest(action, args, region));
    }
}
