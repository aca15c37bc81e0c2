/**
 * The database connection. Everything above this package holds a {@link dev.thimble.runtime.data.Database}
 * and speaks to it with the official MongoDB Java driver; it never learns whether the server behind
 * it is the embedded default or a real deployment, except by asking {@link dev.thimble.runtime.data.Database#kind()}.
 *
 * <p>The embedded default is mongo-java-server with its H2 (MVStore) backend, in process, on a
 * loopback port, with its data in one file of the app's data directory. Two things are added to the
 * library here. Durability: the stock backend commits to disk about once a second and so loses
 * acknowledged writes when the process is killed; this package commits and fsyncs after every write
 * command, before the reply leaves, so an acknowledged write survives {@code kill -9} and a power
 * cut (at roughly a thousand writes a second at best). Honesty: what the
 * embedded server cannot do (transactions, pipeline updates, {@code $text}, geo queries,
 * {@code $unionWith}, {@code $setWindowFields}, capped collections) is refused before anything is
 * executed, with an error that says so and what to do; what it accepts but ignores (TTL indexes,
 * collation, partial indexes, validators) is warned about once per database and listed in
 * {@link dev.thimble.runtime.data.Database#warnings()}. Sessions without transactions work.
 * See docs/decisions/0002-embedded-database-durability.md for the measurements.
 *
 * <p>Change events ({@link dev.thimble.runtime.data.Database#changeEvents()}): on the embedded server
 * its collections report every insert, update, replacement and delete, with pre- and post-images,
 * into an event log kept in the same data file and committed with the write; subscribers are woken
 * after the commit. On an external database they come from change streams. See
 * docs/decisions/0007-change-events.md.
 *
 * <p>One exception to "through the driver": the service actions' reads of the embedded database
 * ({@link dev.thimble.runtime.data.MongoActions}) are sent to the embedded server's command entry in this process,
 * as BSON, skipping the socket and the driver (decision 0066); {@code -Dthimble.db.inProcessReads=false} turns it off.
 *
 * <p>{@link dev.thimble.runtime.data.DataDirectories} says where an app's data lives by default.
 */
package dev.thimble.runtime.data;
