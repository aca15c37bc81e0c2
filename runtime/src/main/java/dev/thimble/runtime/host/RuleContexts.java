package dev.thimble.runtime.host;

import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.rules.RuleContext;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Builds the rule context of a caller: the user, the app's values and environment, and how to run
 * {@code %function} (as that same caller, unless the function says otherwise).
 */
final class RuleContexts {
    private final Supplier<CompiledApp> app;
    private final Function<Caller, FunctionCaller> functions;

    RuleContexts(Supplier<CompiledApp> app, Function<Caller, FunctionCaller> functions) {
        this.app = app;
        this.functions = functions;
    }

    /** The context of a service call: the caller with {@code %%args} and {@code %%request} (service rules). */
    RuleContext forServiceCall(Caller caller, org.bson.Document args, org.bson.Document request) {
        if (caller.isSystem()) {
            return RuleContext.system();
        }
        CompiledApp compiled = app.get();
        return RuleContext.forUser(caller.user())
                .values(compiled.values())
                .environment(compiled.app().environmentTag(), compiled.environmentValues())
                .functions(functions.apply(caller))
                .args(args)
                .request(request)
                .build();
    }

    RuleContext forCaller(Caller caller) {
        return forCaller(caller, UnaryOperator.identity());
    }

    /** As {@link #forCaller(Caller)}, with the {@code %function} runner seen through {@code wrap} (to notice its calls). */
    RuleContext forCaller(Caller caller, UnaryOperator<FunctionCaller> wrap) {
        if (caller.isSystem()) {
            return RuleContext.system();
        }
        CompiledApp compiled = app.get();
        return RuleContext.forUser(caller.user())
                .values(compiled.values())
                .environment(compiled.app().environmentTag(), compiled.environmentValues())
                .functions(wrap.apply(functions.apply(caller)))
                .build();
    }
}
