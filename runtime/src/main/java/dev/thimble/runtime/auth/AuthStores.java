package dev.thimble.runtime.auth;

import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.time.Ticker;

/** The stores of one app's authentication state, all in its state database. */
public record AuthStores(UserStore users, SessionStore sessions, ApiKeyStore apiKeys, UserpassStore userpass) {
    public static AuthStores in(MongoDatabase stateDatabase) {
        return in(stateDatabase, Ticker.SYSTEM);
    }

    /** @param ticker the elapsed time the user and session caches' lifetimes are measured in */
    public static AuthStores in(MongoDatabase stateDatabase, Ticker ticker) {
        return new AuthStores(new UserStore(stateDatabase, ticker), new SessionStore(stateDatabase, ticker),
                new ApiKeyStore(stateDatabase), new UserpassStore(stateDatabase));
    }
}
