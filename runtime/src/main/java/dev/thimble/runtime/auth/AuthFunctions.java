package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.LimitExceeded;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionError;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.functions.TooManyExecutionsException;
import org.bson.BsonValue;

import java.util.List;
import java.util.function.Supplier;

/**
 * How authentication runs the app's functions: the custom-function provider's auth function, and the
 * email/password confirmation and reset functions. They run as system.
 */
@FunctionalInterface
public interface AuthFunctions {

    /**
     * The function's return value.
     *
     * @throws Failed when the function throws, rejects, or cannot run (missing, syntax error, time limit)
     */
    BsonValue run(String functionName, List<BsonValue> arguments);

    /** For hosts without a function engine: every call fails saying so. */
    AuthFunctions NONE = (name, arguments) -> {
        throw new Failed(name, false, "functions cannot run here (this host has no function engine)");
    };

    /** Runs functions on an engine, as system. */
    static AuthFunctions running(Supplier<FunctionEngine> engine) {
        return (name, arguments) -> {
            FunctionResult result;
            try {
                result = engine.get().execute(name, arguments, ExecutionRequest.asSystem().withOrigin(
                        dev.thimble.runtime.functions.ExecutionOrigin.of(dev.thimble.runtime.functions.ExecutionOrigin.Kind.AUTH,
                                "authentication function " + name)));
            } catch (TooManyExecutionsException e) {
                throw LimitExceeded.tooManyRequests("TooManyRequests", e.getMessage());
            }
            if (result.succeeded()) {
                return result.value();
            }
            FunctionError error = result.error();
            throw switch (error.kind()) {
                case THROWN -> new Failed(name, true, error.message());
                case INTERNAL -> new Failed(name, false, "it failed inside Thimble (see the server log)");
                default -> new Failed(name, false, error.message());
            };
        };
    }

    /**
     * A function that did not return a value.
     *
     * @param thrown true when the function itself threw or rejected ({@link #getMessage()} is then its
     *               message); false when it could not run (the message says why)
     */
    final class Failed extends RuntimeException {
        private final String functionName;
        private final boolean thrown;

        public Failed(String functionName, boolean thrown, String message) {
            super(message, null, false, false);
            this.functionName = functionName;
            this.thrown = thrown;
        }

        public String functionName() {
            return functionName;
        }

        public boolean thrown() {
            return thrown;
        }

        /** The function's own message when it threw; otherwise why it could not run, naming it. */
        public String describe() {
            return thrown ? getMessage() : "the function \"" + functionName + "\" could not run: " + getMessage();
        }
    }
}
