package dev.thimble.ruledesigner;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;

import java.util.List;
import java.util.Optional;

/** What the designer reads from a running app: documents, indexes, users and recent log records. */
public interface LiveData {

    /** Up to {@code limit} documents of {@code db.collection}, in natural order. */
    List<Document> sample(String namespace, int limit);

    /** The first document matching {@code query} (as the system user), if any. */
    Optional<Document> findOne(String namespace, Document query);

    /** Up to {@code limit} documents matching {@code query} (as the system user), in natural order. */
    default List<Document> find(String namespace, Document query, int limit) {
        return findOne(namespace, query).map(List::of).orElse(List.of());
    }

    /** The key documents of the collection's indexes ({@code {_id: 1}}, {@code {owner_id: 1, due: -1}}…). */
    List<Document> indexKeys(String namespace);

    /** Every user of the app's user store, with custom user data, as rules see them. */
    List<KnownUser> users();

    /** One user by id, as rules see them, if the store has them. */
    Optional<KnownUser> user(String id);

    /** Field names of the custom user data documents (for {@code %%user.custom_data.<field>}); empty when custom data is off. */
    default List<String> customDataFields() {
        return List.of();
    }

    /** The latest log records, newest first. */
    List<LogRecord> recentLogs(int limit);

    /** A user of the store: a label for pickers (email or id and provider) and the rules' view of them. */
    record KnownUser(String id, String label, Principal ruleUser) {
    }
}
