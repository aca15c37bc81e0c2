package dev.thimble.runtime.sync;

import dev.thimble.runtime.rules.Decision;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** An uploaded object write the app's rules deny; the message names the object, the rule's role and the reason. */
final class WriteNotAllowedException extends RuntimeException {
    WriteNotAllowedException(SyncSchema.SyncClass c, BsonValue pk, Decision decision) {
        super("write to " + c.name() + " " + new BsonDocument("_id", pk).toJson() + " not allowed by the rules: "
                + decision.describe().replace("\n  ", "; ")
                + (decision.role() == null ? "; no role of " + c.database() + "." + c.collection() + " applies to this user" : ""));
    }
}
