package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Names a call in errors ({@code twilio service "sms", send}) and reads what every type needs from
 * the service's config: its base URL and its secrets, with errors that say which field to set.
 */
final class Where {
    private Where() {
    }

    static String of(ConfiguredService service, String action) {
        return service.type() + " service \"" + service.name() + "\", " + action;
    }

    /**
     * The service's {@code config.base_url} without a trailing slash, or {@code fallback} when unset.
     *
     * @throws ServiceCallException when {@code base_url} is not an absolute http(s) URL
     */
    static String baseUrl(ConfiguredService service, String fallback) {
        String configured = service.config().text("base_url", "").strip();
        if (configured.isEmpty()) {
            return fallback;
        }
        try {
            URI uri = new URI(configured);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(configured, "not an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new ServiceCallException(service.type() + " service \"" + service.name() + "\": config.base_url \""
                    + configured + "\" is not an absolute http(s) URL (" + e.getReason()
                    + "); fix it in services/" + service.name() + "/config.json or remove it to use the real service");
        }
        return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }

    /** A config field that must be set, e.g. Twilio's {@code sid}. */
    static String config(ConfiguredService service, String field, String example) {
        String value = service.config().text(field, "").strip();
        if (value.isEmpty()) {
            throw new ServiceCallException(service.type() + " service \"" + service.name() + "\": config." + field
                    + " is not set; set it in services/" + service.name() + "/config.json (e.g. \"" + field + "\": \""
                    + example + "\")");
        }
        return value;
    }

    /** A secret's value that must be present; the error names the secret_config key, never a value. */
    static String secret(ConfiguredService service, String key) {
        String value = service.secrets().apply(key).orElse("");
        if (value.isEmpty()) {
            throw new ServiceCallException(service.type() + " service \"" + service.name() + "\": the secret for secret_config."
                    + key + " has no value; set it with `thimble secrets set APP_DIR <secret name>` (the name that"
                    + " services/" + service.name() + "/config.json gives secret_config." + key + ")");
        }
        return value;
    }
}
