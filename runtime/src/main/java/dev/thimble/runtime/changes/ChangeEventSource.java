package dev.thimble.runtime.changes;

import org.bson.BsonDocument;

/**
 * The change events of a database, in MongoDB's change-event shape, for triggers and the clients'
 * watch streams: one behaviour whether the database is the embedded server (events produced from its
 * write path, with a persisted, trimmed log of positions) or a real replica set (change streams).
 * Obtain it from {@link dev.thimble.runtime.data.Database#changeEvents()}.
 *
 * <p>Events of Thimble's own databases ({@code __thimble_*}) and of MongoDB's ({@code admin},
 * {@code local}, {@code config}, {@code system.*}) are never delivered. Only the operation types of
 * {@link OperationType} are.
 */
public interface ChangeEventSource {

    /**
     * Starts delivering the events the filter selects to the listener, in the order they happened:
     * from now on, or after the filter's resume token.
     *
     * @throws ChangeHistoryLostException if the resume token is older than the oldest event kept
     * @throws IllegalArgumentException   if the resume token is not one of this source's
     */
    Subscription subscribe(ChangeFilter filter, ChangeListener listener);

    /**
     * The resume token of the newest event so far (an empty position on a fresh embedded database),
     * for a subscriber that wants to record "now" before it subscribes; null when the source cannot
     * tell (an external database before its first event).
     */
    BsonDocument currentPosition();
}
