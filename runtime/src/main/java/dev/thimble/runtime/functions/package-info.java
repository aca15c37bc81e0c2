/**
 * The functions engine: runs an app's hosted JavaScript functions on GraalJS.
 *
 * <p>{@link dev.thimble.runtime.functions.FunctionEngine} loads the functions of an
 * {@link dev.thimble.runtime.app.AppModel}, parses each source once per app version on a shared
 * GraalJS Engine, and runs each call in a sandboxed realm of its app version (reused under decision 0030) on its own thread, with a time
 * limit, a statement limit, a heap guard and a cap on concurrent executions. User code sees the
 * Stitch globals: {@code context} (functions, values, environment, user, request, app, services),
 * {@code console}, {@code BSON}, {@code EJSON} and {@code utils}. Arguments and results cross the
 * boundary as BSON and round-trip exactly (an integral double comes back as an int32, as with the
 * Node driver).
 *
 * <p>What the engine needs from the rest of the runtime comes in through small interfaces: the
 * database ({@link dev.thimble.runtime.functions.MongoServiceClient}, where rules are applied),
 * secret values ({@link dev.thimble.runtime.functions.SecretsLookup}), {@code can_evaluate}
 * ({@link dev.thimble.runtime.functions.CanEvaluate}) and run-as users
 * ({@link dev.thimble.runtime.functions.UserDirectory}).
 */
package dev.thimble.runtime.functions;
