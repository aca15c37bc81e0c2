package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppModel;
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

/**
 * {@code %function} for {@code thimble rules}: runs the app's own function on GraalJS as the case's
 * user, as the server would. There is no database here, so a function that uses
 * {@code context.services} fails (with its message); a case can give the result in {@code functions}
 * instead. The engine starts on the first call only.
 */
final class RuleFunctions implements AutoCloseable {
    private final AppModel app;
    private FunctionEngine engine;

    RuleFunctions(AppModel app) {
        this.app = app;
    }

    FunctionCaller forUser(Principal user) {
        return (name, arguments) -> {
            if (app.function(name).isEmpty()) {
                throw new IllegalStateException("%function " + name + ": the app has no function \"" + name
                        + "\" (functions/" + name + "/); add it, or give its result in the case's \"functions\"");
            }
            List<BsonValue> bson = new ArrayList<>(arguments.size());
            for (Object argument : arguments) {
                bson.add(new Document("v", argument).toBsonDocument().get("v"));
            }
            BsonValue result = engine().execute(name, bson, ExecutionRequest.asUser(user)).orThrow();
            return Document.parse(new BsonDocument("v", result).toJson()).get("v");
        };
    }

    private synchronized FunctionEngine engine() {
        if (engine == null) {
            engine = FunctionEngine.builder(app).build();
        }
        return engine;
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
