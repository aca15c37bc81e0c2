package dev.thimble.runtime.functions;

import java.time.Duration;

/**
 * Limits for the executions of one engine.
 *
 * @param timeLimit               wall time per execution (spec: 120 s in the Stitch era)
 * @param statementLimit          JS statements per execution, a deterministic backstop behind the
 *                                watchdog's time limit (GraalJS {@code ResourceLimits}); 0 (the
 *                                default) means none, because counting costs ~1.9x on tight loops in
 *                                the interpreter (decision record 0004)
 * @param maxConcurrentExecutions entry executions at once before {@link TooManyExecutionsException}
 * @param logCapChars             {@code console.*} characters kept per execution
 * @param stackSizeBytes          the stack of each execution thread; it sets how deep JS may recurse
 * @param heapGuardBytes          when the live heap (old generation after GC) exceeds this, the
 *                                execution that allocated most is stopped; 0 means 85% of the max heap
 */
public record FunctionLimits(Duration timeLimit, long statementLimit, int maxConcurrentExecutions, int logCapChars,
                             long stackSizeBytes, long heapGuardBytes) {

    public static FunctionLimits defaults() {
        return new FunctionLimits(Duration.ofSeconds(120), 0, 64, 1_000_000, 16L << 20, 0);
    }

    public FunctionLimits {
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive");
        }
        if (maxConcurrentExecutions < 1) {
            throw new IllegalArgumentException("maxConcurrentExecutions must be at least 1");
        }
    }

    public FunctionLimits withTimeLimit(Duration value) {
        return new FunctionLimits(value, statementLimit, maxConcurrentExecutions, logCapChars, stackSizeBytes, heapGuardBytes);
    }

    public FunctionLimits withStatementLimit(long value) {
        return new FunctionLimits(timeLimit, value, maxConcurrentExecutions, logCapChars, stackSizeBytes, heapGuardBytes);
    }

    public FunctionLimits withMaxConcurrentExecutions(int value) {
        return new FunctionLimits(timeLimit, statementLimit, value, logCapChars, stackSizeBytes, heapGuardBytes);
    }

    public FunctionLimits withLogCapChars(int value) {
        return new FunctionLimits(timeLimit, statementLimit, maxConcurrentExecutions, value, stackSizeBytes, heapGuardBytes);
    }

    public FunctionLimits withStackSizeBytes(long value) {
        return new FunctionLimits(timeLimit, statementLimit, maxConcurrentExecutions, logCapChars, value, heapGuardBytes);
    }

    public FunctionLimits withHeapGuardBytes(long value) {
        return new FunctionLimits(timeLimit, statementLimit, maxConcurrentExecutions, logCapChars, stackSizeBytes, value);
    }
}
