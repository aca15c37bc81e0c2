/** The workbench's debugging: starting and stopping the debugger on the running server, its dock tab, and replays from the logs. */
package dev.thimble.workbench.debugging;
