/** The debugger's JavaFX views: the only package of this module allowed to use JavaFX. */
package dev.thimble.debugger.ui;
