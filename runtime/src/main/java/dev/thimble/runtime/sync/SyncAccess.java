package dev.thimble.runtime.sync;

import com.mongodb.MongoClientSettings;
import dev.thimble.runtime.changes.EventMatcher;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.QueryPlan;
import dev.thimble.runtime.rules.ReadResult;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.WriteCheck;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.Document;

/**
 * The app's rules applied to one sync session's view of one class: which documents the session's
 * user may read (role, {@code document_filters.read}, field read permissions, rule filters) and
 * whether an uploaded object write is allowed. Every verdict comes from {@link CollectionRules};
 * nothing is evaluated here.
 *
 * <p>Field-level reads: a document is sent only whole. If the role hides any field the class syncs,
 * the document is treated as unreadable (not sent, erased from the client if it was in view):
 * a Realm object cannot carry "this field is hidden", and a default value in its place would look
 * like data the client could write back.
 */
final class SyncAccess {
    private static final Codec<Document> CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

    private SyncAccess() {
    }

    /** One class as a session may read it under its subscription query. */
    record ClassView(SyncSchema.SyncClass syncClass, CollectionRules rules, RuleContext ctx, QueryPlan plan,
                     EventMatcher filters) {
        /** A view that shows nothing (no rule, no default rule, or no role of the rules allows the query). */
        boolean empty() {
            return plan == null;
        }

        /** The MongoDB filter of a bootstrap: the subscription ANDed with the rules' filters. */
        BsonDocument bootstrapFilter() {
            return toBson(plan.query());
        }

        /** True when the user may read the whole document (as far as the class syncs it) and the rule filters match it. */
        boolean readable(BsonDocument doc) {
            if (empty() || doc == null) {
                return false;
            }
            if (filters != null && !filters.matches(doc)) {
                return false;
            }
            ReadResult read = rules.applyRead(ctx, toDocument(doc), plan);
            if (!read.visible()) {
                return false;
            }
            for (String removed : read.decision().fieldsRemoved()) {
                String top = removed.contains(".") ? removed.substring(0, removed.indexOf('.')) : removed;
                if (top.isEmpty() || top.equals("_id") || syncClass.fieldTypes().containsKey(top)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The view of a class for a session's user under a subscription query (a MongoDB filter). */
    static ClassView view(SyncSchema schema, SyncSchema.SyncClass c, SyncRules rules, RuleContext ctx, BsonDocument subscription) {
        CollectionRules collectionRules = rules.rulesFor(schema.serviceName(), c.database(), c.collection());
        QueryPlan plan = collectionRules.planQuery(ctx, toDocument(subscription), null);
        if (!plan.allowed()) {
            return new ClassView(c, collectionRules, ctx, null, null);
        }
        QueryPlan filtersOnly = collectionRules.planQuery(ctx, new Document(), null);
        Document filterQuery = filtersOnly.query();
        EventMatcher filters = filterQuery == null || filterQuery.isEmpty() ? null : EventMatcher.compile(toBson(filterQuery));
        return new ClassView(c, collectionRules, ctx, plan, filters);
    }

    /**
     * The verdict on one uploaded object write: an insert when {@code before} is null, a delete when
     * {@code after} is null, else an update.
     */
    static Decision checkWrite(SyncSchema schema, SyncSchema.SyncClass c, SyncRules rules, RuleContext ctx,
                               BsonDocument before, BsonDocument after) {
        CollectionRules collectionRules = rules.rulesFor(schema.serviceName(), c.database(), c.collection());
        WriteCheck check;
        if (before == null) {
            check = collectionRules.checkInsert(ctx, toDocument(after));
        } else if (after == null) {
            check = collectionRules.checkDelete(ctx, toDocument(before));
        } else {
            check = collectionRules.checkUpdate(ctx, toDocument(before), toDocument(after));
        }
        return check.decision();
    }

    static Document toDocument(BsonDocument bson) {
        return CODEC.decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }

    static BsonDocument toBson(Document document) {
        BsonDocument out = new BsonDocument();
        CODEC.encode(new BsonDocumentWriter(out), document, EncoderContext.builder().build());
        return out;
    }
}
