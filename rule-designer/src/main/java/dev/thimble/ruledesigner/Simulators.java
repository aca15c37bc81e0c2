package dev.thimble.ruledesigner;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.host.CompiledApp;

import java.util.Optional;
import java.util.function.Function;

/** Simulators for the rules an app serves, with its values resolved and its functions running. */
public final class Simulators {
    private Simulators() {
    }

    /** The rules {@code host} serves now; {@code %function} runs on the host's function engine. */
    public static Simulator forHost(AppHost host, Function<String, Optional<String>> secrets) {
        return forApp(host.app(), secrets, host);
    }

    /** {@code app}'s rules (e.g. as the editor last saw them) with {@code host}'s functions; host may be null (no functions). */
    public static Simulator forApp(AppModel app, Function<String, Optional<String>> secrets, AppHost host) {
        CompiledApp compiled = new CompiledApp(app, secrets);
        return new Simulator(app, compiled.values(), compiled.environmentValues(),
                host == null ? RuleFunctionCallers.none() : RuleFunctionCallers.running(host.services().functions()));
    }
}
