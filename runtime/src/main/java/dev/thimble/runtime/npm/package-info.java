/**
 * The npm packages an app's functions {@code require}: where they come from (the bundle's
 * {@code functions/node_modules} folder, a {@code functions/node_modules.*} archive, or
 * {@code functions/package.json} with its lock file, installed from the npm registry into a per-app
 * cache, integrity-checked, no install scripts run) and the read-only folder the function engine
 * resolves in (decision 0018).
 */
package dev.thimble.runtime.npm;
