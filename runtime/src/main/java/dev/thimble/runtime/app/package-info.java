/**
 * The app model and app bundles. An {@link dev.thimble.runtime.app.AppModel} is one app as an
 * immutable value; it is read from a bundle directory in the Stitch 2018 layout (the native
 * format) or imported from the later App Services layouts, checked by the validator, and written
 * back in the Stitch layout deterministically, so two exports of one app are byte-identical.
 * Secret values never enter the model: bundles name secrets, and their values live in the local
 * secret store ({@code dev.thimble.runtime.values}).
 */
package dev.thimble.runtime.app;
