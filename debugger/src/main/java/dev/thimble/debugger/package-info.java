/**
 * Step debugging of functions that run in the runtime, over the Truffle debugger API. The core here
 * knows nothing of JavaFX and is tested without a window; its views live in {@code ui}.
 * (Built by the debugger issue; this package holds the module's boundary until then.)
 */
package dev.thimble.debugger;
