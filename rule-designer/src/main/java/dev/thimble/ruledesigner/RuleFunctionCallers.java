package dev.thimble.ruledesigner;

import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.rules.FunctionCaller;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code %function} for the simulator: the app's own functions on the app's engine, run as the simulated user, as the server runs them. */
public final class RuleFunctionCallers {
    private RuleFunctionCallers() {
    }

    public static Function<Principal, FunctionCaller> running(FunctionEngine engine) {
        return user -> (name, arguments) -> {
            List<BsonValue> bson = new ArrayList<>(arguments.size());
            for (Object argument : arguments) {
                bson.add(new Document("v", argument).toBsonDocument().get("v"));
            }
            BsonValue result = engine.execute(name, bson, ExecutionRequest.asUser(user)).orThrow();
            return Document.parse(new BsonDocument("v", result).toJson()).get("v");
        };
    }

    /** For apps or tests without functions: every {@code %function} fails with a message saying so. */
    public static Function<Principal, FunctionCaller> none() {
        return user -> (name, arguments) -> {
            throw new IllegalStateException("%function " + name + ": functions do not run in this simulator");
        };
    }
}
