/**
 * Authentication: providers (anonymous, email/password with optional confirmation and reset functions,
 * API keys, custom JWT, custom function), users and their linked identities, sessions and tokens. All state lives in the app's state database; the only thing in
 * memory is what makes the hot path cheap (token verification) and failed-login throttling.
 */
package dev.thimble.runtime.auth;
