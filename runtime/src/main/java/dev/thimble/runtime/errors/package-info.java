/**
 * The leaf every room may depend on for failures a client should see: {@link
 * dev.thimble.runtime.errors.ApiError} (the protocol's error shape with its status and code) and
 * the input guards that refuse with it ({@link dev.thimble.runtime.errors.JsonNesting}). It depends
 * on nothing else in the runtime, so throwing an error never ties a package to the host that
 * assembles it (the root package used to hold {@code ApiError} next to {@code AppHost}, which made
 * every room that threw one part of one dependency cycle). The server maps these errors to the
 * response body in one place ({@code server.ErrorMappingHandler}).
 */
package dev.thimble.runtime.errors;
