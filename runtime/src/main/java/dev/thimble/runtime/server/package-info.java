/**
 * Undertow: the client API the Stitch and Realm SDKs speak (CLIENT-PROTOCOL.md), built as a chain
 * of small handlers (dispatch to a worker, map errors to the protocol's error body, route).
 */
package dev.thimble.runtime.server;
