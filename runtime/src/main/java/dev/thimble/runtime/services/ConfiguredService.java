package dev.thimble.runtime.services;

import dev.thimble.runtime.app.Json;

import java.util.Optional;
import java.util.function.Function;

/**
 * A service as configured in the app bundle, with its secrets resolvable.
 *
 * @param name    the service's name ({@code services/<name>/config.json})
 * @param type    its {@code type}
 * @param config  its {@code config} object (e.g. {@code {"sid": "AC…"}} for Twilio); may carry
 *                {@code base_url} to send the service's requests elsewhere (a proxy, a test fake)
 * @param secrets the value of a {@code secret_config} key (e.g. {@code auth_token}), read from the
 *                local secret store; empty when the secret has no value. Never log or return these.
 */
public record ConfiguredService(String name, String type, Json config, Function<String, Optional<String>> secrets) {
}
