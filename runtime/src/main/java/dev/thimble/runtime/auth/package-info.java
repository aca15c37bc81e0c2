/**
 * Authentication: providers (anonymous, email/password with optional confirmation and reset functions,
 * API keys, custom JWT, custom function), users and their linked identities, sessions and tokens. All
 * state lives in the app's state database; in memory is only what makes the hot path cheap (token
 * verification, fetched JSON Web Keys) and failed-login throttling.
 */
package dev.thimble.runtime.auth;
