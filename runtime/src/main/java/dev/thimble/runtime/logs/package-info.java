/**
 * Logs: one {@link dev.thimble.runtime.logs.LogRecord} per request, function run, trigger run and
 * auth event (STITCH-SPEC §7), a live feed for the workbench's log panel, and the Admin API's
 * query with its pagination. The request path only fills a record and hands it to
 * {@link dev.thimble.runtime.logs.LogService#append}, which puts it into an in-memory ring and
 * returns; a writer thread stores records in batches off the request path (one insert per
 * request would cap the embedded database near a thousand requests a second), and each live
 * subscriber reads the ring on a thread of its own. Known secret values are masked before a
 * record is stored or published; callers must still never log secrets.
 */
package dev.thimble.runtime.logs;
