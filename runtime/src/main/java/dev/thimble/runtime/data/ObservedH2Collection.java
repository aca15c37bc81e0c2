package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bson.RawBsonDocument;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * An H2 collection that reports every document it stores, changes or removes to the change log,
 * from the three primitives every write of the library ends in: {@code addDocumentInternal}
 * (inserts, upserts), {@code handleUpdate} (updates, replacements, findAndModify) and
 * {@code removeDocument} (deletes, findAndModify remove). Whatever client sent the write, and
 * however it was phrased (insert, update, bulk write, findAndModify), it passes here.
 *
 * <p>Pre-images: {@code handleUpdate} receives a deep copy of the stored document taken before the
 * update was applied, and {@code removeDocument} reads the stored document before removing it.
 * Whether an update is a replacement is known only from the update document, so it is noted in a
 * thread-local scope for the duration of the update or findAndModify call.
 *
 * <p>Recording never fails a write: an error is logged and the event is lost.
 */
final class ObservedH2Collection extends H2Collection {
    private static final Logger log = LoggerFactory.getLogger(ObservedH2Collection.class);

    /** The update or findAndModify running on this thread, if any. */
    private static final ThreadLocal<WriteScope> SCOPE = new ThreadLocal<>();

    private final EmbeddedChangeLog changes;

    private static final class WriteScope {
        final ObservedH2Collection collection;
        final boolean replacement;
        final WriteScope outer;

        WriteScope(ObservedH2Collection collection, boolean replacement, WriteScope outer) {
            this.collection = collection;
            this.replacement = replacement;
            this.outer = outer;
        }
    }

    ObservedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                         MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                         EmbeddedChangeLog changes) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.changes = changes;
    }

    private boolean observed() {
        return changes.observes(getDatabaseName(), getCollectionName());
    }

    @Override
    public Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters, boolean multi,
                                    boolean upsert, Oplog oplog) {
        if (!observed()) {
            return super.updateDocuments(selector, update, arrayFilters, multi, upsert, oplog);
        }
        return inScope(isReplacement(update), () -> super.updateDocuments(selector, update, arrayFilters, multi, upsert, oplog));
    }

    @Override
    public Document findAndModify(Document query) {
        if (!observed()) {
            return super.findAndModify(query);
        }
        return inScope(query.get("update") instanceof Document update && isReplacement(update), () -> super.findAndModify(query));
    }

    private <T> T inScope(boolean replacement, Supplier<T> write) {
        WriteScope scope = new WriteScope(this, replacement, SCOPE.get());
        SCOPE.set(scope);
        try {
            return write.get();
        } finally {
            if (scope.outer == null) {
                SCOPE.remove();
            } else {
                SCOPE.set(scope.outer);
            }
        }
    }

    private static boolean isReplacement(Document update) {
        return update.keySet().stream().noneMatch(key -> key.startsWith("$"));
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        Object position = super.addDocumentInternal(document);
        if (observed()) {
            record(() -> changes.inserted(getDatabaseName(), getCollectionName(), snapshot(document)));
        }
        return position;
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        if (observed()) {
            WriteScope scope = SCOPE.get();
            boolean replacement = scope != null && scope.collection == this && scope.replacement;
            record(() -> changes.updated(getDatabaseName(), getCollectionName(), snapshot(oldDocument), snapshot(newDocument),
                    replacement));
        }
    }

    @Override
    protected void removeDocument(Object position) {
        Document stored = observed() ? getDocument(position) : null;
        super.removeDocument(position);
        if (stored != null) {
            record(() -> changes.deleted(getDatabaseName(), getCollectionName(), snapshot(stored)));
        }
    }

    private void record(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            log.error("Could not record a change event for {}; the write stands, the event is lost", getFullName(), e);
        }
    }

    /** The document as it is now, in the driver's BSON types, immune to later mutation. */
    static RawBsonDocument snapshot(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return new RawBsonDocument(bytes);
        } finally {
            buffer.release();
        }
    }
}
