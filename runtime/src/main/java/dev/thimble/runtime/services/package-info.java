/**
 * Services other than MongoDB: the outgoing HTTP service and the third-party services a function
 * reaches through {@code context.services.get(name)}, guarded by the service's rules; incoming
 * webhooks and HTTPS endpoints. Every outgoing call and webhook call is a log record.
 */
package dev.thimble.runtime.services;
