/**
 * Services other than MongoDB. Outgoing: {@link dev.thimble.runtime.services.ServiceRegistry} serves
 * {@code context.services.get(name)} and {@code context.http} for the function engine, finding each
 * service's {@link dev.thimble.runtime.services.ServiceType} by {@code type} ({@code http} is
 * {@link dev.thimble.runtime.services.HttpService}, through an {@link dev.thimble.runtime.services.HttpDoor};
 * the third-party types live in {@code services.thirdparty}), checking the service's rules (deny by
 * default) and leaving a log record per call. Incoming:
 * {@link dev.thimble.runtime.services.WebhookService} answers incoming webhooks and HTTPS endpoints for
 * the server's routes: validation, identity, {@code exports(payload, response)}, the answer, a log
 * record; a {@link dev.thimble.runtime.services.WebhookBodyParser} per service type (GitHub, Twilio)
 * checks that service's own signature. Decision record 0012 has the choices.
 */
package dev.thimble.runtime.services;
