package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.FunctionDef;
import org.bson.BsonArray;
import org.bson.BsonDocument;

/**
 * Decides a function's {@code can_evaluate} expression before it runs (with {@code %%args},
 * {@code %%user}, {@code %%request}). The engine calls it only for non-empty expressions; an absent
 * or empty ({@code {}}) expression always allows the call. The rules engine implements it.
 */
@FunctionalInterface
public interface CanEvaluate {

    /**
     * @param caller who calls the function ({@code %%user}): the SDK's user, a webhook's caller, or the
     *               function that calls it through {@code context.functions.execute}; never the identity
     *               the function itself runs as ({@code run_as_system}, {@code run_as_user_id})
     * @return whether the call may go ahead
     * @throws UnsupportedOperationException if the expression cannot be evaluated (the call is refused)
     */
    boolean allows(FunctionDef function, BsonDocument expression, BsonArray arguments, Caller caller, RequestInfo request);

    /** Until the rules engine is wired in: any non-empty expression refuses the call, saying why. */
    CanEvaluate NOT_SUPPORTED = (function, expression, arguments, caller, request) -> {
        throw new UnsupportedOperationException("can_evaluate cannot be checked yet: the rules engine is not wired into functions");
    };
}
