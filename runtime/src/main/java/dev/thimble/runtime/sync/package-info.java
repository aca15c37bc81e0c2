/**
 * Device Sync: the flexible-sync WebSocket endpoint the unmodified Realm SDKs connect to
 * ({@code /api/client/v2.0/app/<id>/realm-sync}, protocol {@code com.mongodb.realm-query-sync#14}).
 *
 * <p>{@link dev.thimble.runtime.sync.SyncService} owns one app's sync state (client file identities,
 * the ordered server history, the sessions); {@link dev.thimble.runtime.sync.SyncConnection} speaks the
 * protocol on one WebSocket; {@link dev.thimble.runtime.sync.Changesets} reads and writes realm-core's
 * changeset encoding; {@link dev.thimble.runtime.sync.SyncSchema} maps Realm classes to collections;
 * {@link dev.thimble.runtime.sync.CollectionEdits} and {@link dev.thimble.runtime.sync.EmbeddedObjects} turn
 * collection and embedded-object instructions into MongoDB values and back; {@link dev.thimble.runtime.sync.ListMerge}
 * merges concurrent element edits by realm-core's rules, with {@link dev.thimble.runtime.sync.ReciprocalHistory}
 * keeping them per client file as that client holds them (decision record 0058);
 * {@link dev.thimble.runtime.sync.Rql} is the subscription query language, as MongoDB filter and as an
 * in-memory predicate. What is not supported yet is refused with a protocol error, never applied
 * partially (decision record "sync-flexible-sync-slice").
 */
package dev.thimble.runtime.sync;
