/**
 * The semantic diff of two apps. {@link dev.thimble.runtime.diff.BundleDiff} reads two app bundles
 * with the ordinary bundle reader and compares them entity by entity (functions, rules, triggers,
 * values, secrets, auth providers, services and their webhooks, HTTPS endpoints, app settings), so
 * that a change is told the way it matters to an app's users ("role {@code nurse} gains read on
 * {@code diagnosis}", "function {@code sum} renamed to {@code add}") rather than as moved JSON
 * lines. The result, {@link dev.thimble.runtime.diff.BundleChanges}, renders as text (the CLI) and
 * JSON (the admin API's {@code import?diff=true}, the workbench). Secret values are compared but
 * never rendered: a change of one is reported by the secret's name only.
 */
package dev.thimble.runtime.diff;
