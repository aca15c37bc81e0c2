/**
 * Step debugging of functions that run in the runtime, over the Truffle debugger API. The core here
 * knows nothing of JavaFX and is tested without a window; its views live in {@code ui}.
 *
 * <p>{@link dev.thimble.debugger.FunctionDebugger} attaches to a running
 * {@link dev.thimble.runtime.functions.FunctionEngine}: it moves the app's functions onto a GraalJS
 * Engine of its own (a Truffle debugger session covers every Context of its Engine) and back when it
 * closes. A suspended function blocks its own thread; the suspended state may only be touched there,
 * so everyone else sees immutable snapshots ({@link dev.thimble.debugger.PauseSnapshot}) and sends
 * commands through {@link dev.thimble.debugger.PausedExecution}, which queues them to that thread and
 * waits for the answer with a timeout. Breakpoints live in {@link dev.thimble.debugger.Breakpoints},
 * the user's workspace state, never in the bundle. {@link dev.thimble.debugger.Replayer} re-runs a
 * logged call, a trigger event or a webhook payload, with its database writes applied or only reported.
 */
package dev.thimble.debugger;
