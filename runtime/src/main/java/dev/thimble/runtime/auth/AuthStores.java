package dev.thimble.runtime.auth;

import com.mongodb.client.MongoDatabase;

/** The stores of one app's authentication state, all in its state database. */
public record AuthStores(UserStore users, SessionStore sessions, ApiKeyStore apiKeys, UserpassStore userpass) {
    public static AuthStores in(MongoDatabase stateDatabase) {
        return new AuthStores(new UserStore(stateDatabase), new SessionStore(stateDatabase),
                new ApiKeyStore(stateDatabase), new UserpassStore(stateDatabase));
    }
}
