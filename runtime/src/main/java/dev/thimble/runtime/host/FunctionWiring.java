package dev.thimble.runtime.host;

import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.auth.UserStore;
import dev.thimble.runtime.functions.CanEvaluate;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.UserDirectory;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The seams between the function engine and the other rooms: users, {@code can_evaluate}, and {@code %function} in rules. */
final class FunctionWiring {
    private FunctionWiring() {
    }

    /** {@code run_as_user_id}: the stored user, seen by functions without custom data. */
    static UserDirectory users(UserStore users) {
        return id -> users.find(id).map(user -> user.principal(new Document()));
    }

    /**
     * {@code can_evaluate}: the expression with {@code %%args}, {@code %%user} (the caller) and
     * {@code %%request}, compiled once per app version ({@link CompiledApp#canEvaluate}).
     */
    static CanEvaluate canEvaluate(Supplier<CompiledApp> app) {
        return (FunctionDef function, BsonDocument expression, BsonArray arguments, Caller caller, RequestInfo request) -> {
            if (caller.isSystem()) {
                return true;
            }
            Document args = new Document();
            for (int i = 0; i < arguments.size(); i++) {
                args.put(String.valueOf(i), plain(arguments.get(i)));
            }
            RuleContext context = RuleContext.forUser(caller.user())
                    .args(args)
                    .request(Document.parse(request.toBson().toJson()))
                    .build();
            return app.get().canEvaluate(function.name(), expression).test(context);
        };
    }

    /** {@code %function} in a rule: runs the function as the rule's caller and hands its result back as a plain value. */
    static FunctionCaller ruleFunctions(Supplier<FunctionEngine> engine, Caller caller) {
        return (name, arguments) -> {
            List<BsonValue> bson = new ArrayList<>();
            for (Object argument : arguments) {
                bson.add(bson(argument));
            }
            BsonValue result = engine.get().execute(name, bson, new ExecutionRequest(caller, RequestInfo.NONE, null,
                    dev.thimble.runtime.functions.ExecutionOrigin.of(dev.thimble.runtime.functions.ExecutionOrigin.Kind.RULE,
                            "%function " + name + " in a rule, for " + (caller.isSystem() ? "the system" : "user " + caller.userId())))).orThrow();
            return plain(result);
        };
    }

    static Object plain(BsonValue value) {
        return Document.parse(new BsonDocument("v", value).toJson()).get("v");
    }

    static BsonValue bson(Object value) {
        return new Document("v", value).toBsonDocument().get("v");
    }
}
