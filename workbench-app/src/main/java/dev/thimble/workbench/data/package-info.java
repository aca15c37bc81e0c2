/**
 * The data browser: the connected database's databases and collections with counts and indexes,
 * documents paged as a table or as JSON, a find with filter, sort and projection, and view, edit,
 * insert and delete of one document as Extended JSON, through
 * {@link dev.thimble.runtime.apps.DataBrowser}.
 */
package dev.thimble.workbench.data;
