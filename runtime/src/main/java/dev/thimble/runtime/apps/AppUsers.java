package dev.thimble.runtime.apps;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.auth.UserpassStore;
import org.bson.Document;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The users of a running app, as its owner manages them: list, create an email/password user
 * (confirmed at once), disable, enable, delete, and log out everywhere. Disabling logs the user out;
 * deleting removes its sessions, API keys and email/password account (not its custom user data).
 * Blocking; no UI.
 */
public final class AppUsers {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private final Supplier<Optional<AppHost>> host;

    AppUsers(Supplier<Optional<AppHost>> host) {
        this.host = host;
    }

    /** Every user, oldest first. */
    public List<User> list() {
        return stores(requireRunning()).users().list();
    }

    public Optional<User> find(String userId) {
        return stores(requireRunning()).users().find(userId);
    }

    /**
     * Creates a confirmed email/password user of the app's {@code local-userpass} provider.
     *
     * @throws IllegalArgumentException when the app has no such provider, the email is not one or is taken,
     *                                  or the password is not 6 to 128 characters; nothing is stored then
     */
    public User createEmailPasswordUser(String email, String password) {
        AppHost running = requireRunning();
        AuthProviderDef provider = running.app().authProviders().stream().filter(p -> p.type().equals("local-userpass"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "The app has no email/password provider (local-userpass); add one first."));
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("\"" + email + "\" is not an email address; no user was created.");
        }
        if (password == null || password.length() < 6 || password.length() > 128) {
            throw new IllegalArgumentException("A password has 6 to 128 characters; no user was created.");
        }
        AuthStores stores = stores(running);
        if (stores.userpass().findByEmail(email).isPresent()) {
            throw new IllegalArgumentException("There is a user with the email " + email + " already; no user was created.");
        }
        UserpassStore.Account account = stores.userpass().register(email, password, true);
        Document data = new Document("email", account.email());
        User.Identity identity = new User.Identity(account.id(), "local-userpass",
                provider.config().text("id", provider.name()), data);
        return stores.users().create("normal", identity, data, Instant.now());
    }

    /** Disables a user and ends its sessions: it cannot log in or refresh until enabled. */
    public void disable(String userId) {
        AppHost running = requireExisting(userId);
        running.auth().setDisabled(userId, true);
    }

    public void enable(String userId) {
        AppHost running = requireExisting(userId);
        running.auth().setDisabled(userId, false);
    }

    /** Deletes a user with its sessions, API keys and email/password account. */
    public void delete(String userId) {
        AppHost running = requireExisting(userId);
        running.auth().deleteUser(userId);
    }

    /** Ends every session of the user, through the serving host so its cache of live sessions hears of it at once. */
    public void logOut(String userId) {
        requireExisting(userId).auth().endSessions(userId);
    }

    /** The devices the user logged in from (device id → last login from it), newest first. */
    public java.util.Map<String, Instant> devices(String userId) {
        AppHost running = requireExisting(userId);
        return stores(running).sessions().devicesOf(userId);
    }

    // ---- registrations of the email/password provider: accounts not confirmed yet ----------------

    /** Accounts registered and waiting for confirmation, oldest first, 50 at a time after {@code after} (null from the start). */
    public List<UserpassStore.Account> pendingRegistrations(String after) {
        return stores(requireRunning()).userpass().unconfirmed(after, 50);
    }

    /**
     * Issues a new confirmation token for a pending registration (what a confirmation email would carry),
     * for the owner to pass on or to confirm with; an older token stops working.
     *
     * @throws IllegalArgumentException when there is no such registration or it is confirmed already
     */
    public UserpassStore.IssuedToken issueConfirmation(String email) {
        AppHost running = requireRunning();
        UserpassStore.Account account = pending(running, email);
        return stores(running).userpass().issueToken(account.id(), "confirm", Instant.now().plus(java.time.Duration.ofMinutes(30)));
    }

    /** Confirms a pending registration: the account can log in from now on. */
    public void confirmRegistration(String email) {
        AppHost running = requireRunning();
        UserpassStore store = stores(running).userpass();
        UserpassStore.Account account = pending(running, email);
        store.clearToken(account.id());
        store.confirm(account.id());
    }

    /** What re-running a registration's confirmation did. */
    public enum Rerun {
        /** The confirmation function ran again with a new token (it confirmed the account, or left it pending). */
        FUNCTION_RAN,
        /** The app confirms by email: a new confirmation link was sent (to the outbox). */
        EMAIL_SENT
    }

    /**
     * Re-runs the confirmation workflow of a pending registration through the app's email/password
     * provider, as the client API's retry does: its confirmation function when the provider confirms by
     * function, else a new confirmation email.
     *
     * @throws dev.thimble.runtime.errors.ApiError 404 when no one registered with {@code email}, 400 when
     *                                             it is confirmed already or the function fails
     * @throws IllegalArgumentException            when email/password authentication is not enabled
     */
    public Rerun rerunConfirmation(String email) {
        AppHost running = requireRunning();
        AuthProviderDef provider = running.app().authProviders().stream().filter(p -> p.type().equals("local-userpass"))
                .findFirst().filter(p -> !p.disabled()).orElseThrow(() -> new IllegalArgumentException(
                        "Email/password authentication is not enabled in " + running.app().name() + "; there is no confirmation to re-run."));
        Document body = new Document("email", email == null ? "" : email);
        if (provider.config().obj("config").bool("runConfirmationFunction", false)) {
            running.auth().retryConfirmationFunction(provider.name(), body);
            return Rerun.FUNCTION_RAN;
        }
        if (provider.config().obj("config").bool("autoConfirm", false)) {
            throw new IllegalArgumentException("The email/password provider of " + running.app().name()
                    + " confirms users at once (autoConfirm); there is no confirmation workflow to re-run.");
        }
        running.auth().resendConfirmation(provider.name(), body);
        return Rerun.EMAIL_SENT;
    }

    /** Deletes a pending registration (the email can register again). */
    public void deleteRegistration(String email) {
        AppHost running = requireRunning();
        stores(running).userpass().delete(pending(running, email).id());
    }

    private static UserpassStore.Account pending(AppHost running, String email) {
        UserpassStore.Account account = stores(running).userpass().findByEmail(email == null ? "" : email).orElseThrow(() ->
                new IllegalArgumentException("No one registered with the email " + email + " in " + running.app().name() + "."));
        if (account.confirmed()) {
            throw new IllegalArgumentException(email + " is confirmed already; it is a user, not a pending registration.");
        }
        return account;
    }

    private AppHost requireExisting(String userId) {
        AppHost running = requireRunning();
        if (stores(running).users().find(userId).isEmpty()) {
            throw new IllegalArgumentException("There is no user " + userId + " in " + running.app().name() + ".");
        }
        return running;
    }

    private static AuthStores stores(AppHost running) {
        return AuthStores.in(running.database().database(AppHost.stateDatabaseName(running.app().clientAppId())));
    }

    private AppHost requireRunning() {
        return host.get().orElseThrow(() -> new IllegalArgumentException(
                "The app is not being served; start the server to manage its users."));
    }
}
