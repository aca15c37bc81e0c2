package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Email/password accounts of the local-userpass provider: bcrypt password hashes ({@link PasswordHashes}), the confirmed
 * flag, and one pending confirm or reset token (stored hashed, compared in constant time).
 */
public final class UserpassStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked against when an email is unknown, so timing does not tell which emails exist. */
    private static final String DUMMY_HASH = PasswordHashes.hash("dummy-password");
    private final MongoCollection<Document> accounts;

    public UserpassStore(MongoDatabase stateDatabase) {
        this.accounts = stateDatabase.getCollection("userpass_accounts");
    }

    public record Account(String id, String email, boolean confirmed) {
    }

    /** A token just issued: {@code token} goes in the link; the store keeps only its hash. */
    public record IssuedToken(String token, String tokenId) {
    }

    static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public Optional<Account> findByEmail(String email) {
        return Optional.ofNullable(accounts.find(Filters.eq("email_key", normalise(email))).first()).map(UserpassStore::toAccount);
    }

    /** Accounts registered and not confirmed yet, oldest first, at most {@code limit} after the id {@code after} (null from the start). */
    public java.util.List<Account> unconfirmed(String after, int limit) {
        var filter = Filters.eq("confirmed", false);
        var query = after != null && ObjectId.isValid(after) ? Filters.and(filter, Filters.gt("_id", new ObjectId(after))) : filter;
        java.util.List<Account> out = new java.util.ArrayList<>();
        accounts.find(query).sort(new Document("_id", 1)).limit(limit).forEach(d -> out.add(toAccount(d)));
        return out;
    }

    public Account register(String email, String password, boolean confirmed) {
        ObjectId id = new ObjectId();
        accounts.insertOne(new Document("_id", id)
                .append("email", email.trim())
                .append("email_key", normalise(email))
                .append("password_hash", PasswordHashes.hash(password))
                .append("confirmed", confirmed));
        return new Account(id.toHexString(), email.trim(), confirmed);
    }

    /** The account if the password is right (bcrypt-verified), else empty. */
    public Optional<Account> verify(String email, String password) {
        Document account = accounts.find(Filters.eq("email_key", normalise(email))).first();
        if (account == null) {
            PasswordHashes.verify(password, DUMMY_HASH);
            return Optional.empty();
        }
        boolean ok = PasswordHashes.verify(password, account.getString("password_hash"));
        return ok ? Optional.of(toAccount(account)) : Optional.empty();
    }

    public IssuedToken issueToken(String accountId, String purpose, Instant expires) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        String tokenId = new ObjectId().toHexString();
        accounts.updateOne(Filters.eq("_id", new ObjectId(accountId)), Updates.combine(
                Updates.set("token_hash", ApiKeyStore.hash(token)),
                Updates.set("token_id", tokenId),
                Updates.set("token_purpose", purpose),
                Updates.set("token_expires", Date.from(expires))));
        return new IssuedToken(token, tokenId);
    }

    /** The account whose pending token of this purpose matches and has not expired; the token is used up. */
    public Optional<Account> redeemToken(String token, String tokenId, String purpose, Instant now) {
        if (token == null || tokenId == null) {
            return Optional.empty();
        }
        Document account = accounts.find(Filters.and(Filters.eq("token_id", tokenId), Filters.eq("token_purpose", purpose))).first();
        if (account == null || !now.isBefore(account.getDate("token_expires").toInstant())
                || !MessageDigest.isEqual(account.getString("token_hash").getBytes(StandardCharsets.UTF_8),
                ApiKeyStore.hash(token).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        accounts.updateOne(Filters.eq("_id", account.getObjectId("_id")), Updates.combine(
                Updates.unset("token_hash"), Updates.unset("token_id"), Updates.unset("token_purpose"), Updates.unset("token_expires")));
        return Optional.of(toAccount(account));
    }

    /** Forgets the pending token, whatever its purpose. */
    public void clearToken(String accountId) {
        accounts.updateOne(Filters.eq("_id", new ObjectId(accountId)), Updates.combine(
                Updates.unset("token_hash"), Updates.unset("token_id"), Updates.unset("token_purpose"), Updates.unset("token_expires")));
    }

    public void confirm(String accountId) {
        accounts.updateOne(Filters.eq("_id", new ObjectId(accountId)), Updates.set("confirmed", true));
    }

    public void setPassword(String accountId, String password) {
        accounts.updateOne(Filters.eq("_id", new ObjectId(accountId)),
                Updates.set("password_hash", PasswordHashes.hash(password)));
    }

    public void delete(String accountId) {
        if (ObjectId.isValid(accountId)) {
            accounts.deleteOne(Filters.eq("_id", new ObjectId(accountId)));
        }
    }

    private static Account toAccount(Document d) {
        return new Account(d.getObjectId("_id").toHexString(), d.getString("email"), d.getBoolean("confirmed", false));
    }
}
