/**
 * GraalJS as Thimble configures it, for every part that runs or parses JavaScript: the process-wide
 * engine ({@link dev.thimble.runtime.javascript.GraalEngines}) and the one locked-down set of context
 * options ({@link dev.thimble.runtime.javascript.SandboxedContexts}), so the functions' runtime and the
 * bundle's validation cannot drift apart in what a script may reach. Depends on nothing else of the runtime.
 */
package dev.thimble.runtime.javascript;
