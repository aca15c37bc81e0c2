package dev.thimble.debugger;

import dev.thimble.runtime.functions.FunctionResult;

import java.util.List;

/**
 * The outcome of a replay.
 *
 * @param result the function's result (value or error, console output)
 * @param writes the writes a dry run withheld, in order; empty when the writes were applied
 * @param dryRun whether the writes were withheld
 */
public record ReplayResult(FunctionResult result, List<RecordedWrite> writes, boolean dryRun) {

    public ReplayResult {
        writes = List.copyOf(writes);
    }
}
