/**
 * The logs panel: the running server's live log feed in a virtualized table with filters, a detail
 * pane, a chart of requests per second and latency, and export of what the filters show.
 * {@link dev.thimble.workbench.logs.LogsViewModel} holds the state and takes the feed in batches (one
 * UI hand-over per frame); the plain classes beside it (filter, rates, detail text) know no JavaFX.
 */
package dev.thimble.workbench.logs;
