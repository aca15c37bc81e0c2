/** Elapsed time through one door ({@link dev.thimble.runtime.time.Ticker}), so tests move it. A leaf. */
package dev.thimble.runtime.time;
