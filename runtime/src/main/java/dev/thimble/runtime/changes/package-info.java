/**
 * Change events: one stream of database changes in MongoDB's change-event shape, for triggers and
 * the clients' watch streams. {@link dev.thimble.runtime.changes.ChangeEventSource} is obtained from
 * {@link dev.thimble.runtime.data.Database#changeEvents()}; it behaves the same on the embedded
 * server (events produced from its write path, persisted in a trimmed log with resume positions) and
 * on a real replica set (change streams). {@link dev.thimble.runtime.changes.EventMatcher} evaluates
 * a {@code $match} over an event (watch filters, trigger matches) in Java.
 *
 * <p>This package depends on nothing else of the runtime. See docs/decisions/0007-change-events.md.
 */
package dev.thimble.runtime.changes;
