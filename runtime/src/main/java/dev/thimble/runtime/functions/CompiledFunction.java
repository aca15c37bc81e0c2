package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.FunctionDef;
import org.bson.BsonDocument;
import org.graalvm.polyglot.Source;

/**
 * One function of one app version, ready to run: its wrapped {@link Source} (parsed once per
 * Engine, then shared by every Context) and its run-as script, if any.
 *
 * @param problem why it cannot run (a syntax error), or null
 */
record CompiledFunction(FunctionDef def, Source source, Source runAsScript, BsonDocument canEvaluate,
                        FunctionProblem problem) {

    String name() {
        return def.name();
    }

    String runAsScriptText() {
        return def.config().text("run_as_user_id_script_source", "");
    }

    String scriptPath() {
        return "functions/" + name() + "/run_as_user_id_script_source.js";
    }
}
