package dev.thimble.runtime.functions;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.HashMap;
import java.util.Map;

/**
 * One GraalJS Context with Thimble's bootstrap evaluated in it, serving one execution at a time
 * (decision record 0030). A reusable realm is locked down once (intrinsics and Thimble's globals
 * frozen) and keeps, between the calls of one app version, only what the decision lists: the
 * evaluated function wrappers, the loaded modules and the decoded app settings. The host bridge the
 * bootstrap holds routes every host call to the execution attached now, so nothing of an earlier
 * execution (its logs, request, database client, identity) is reachable from a later one.
 */
final class Realm implements AutoCloseable {
    final Context context;
    final Value api;
    /** Locked down and handed from call to call; false: used by one execution, then closed. */
    final boolean reusable;
    private final Map<Source, Value> factories = new HashMap<>();
    private volatile Execution current;
    private int calls;

    private Realm(Context context, boolean reusable) {
        this.context = context;
        this.reusable = reusable;
        this.api = context.eval(JsRuntime.bootstrap()).execute(new Bridge());
        if (reusable) {
            api.invokeMember("lockdown");
        }
    }

    static Realm open(FunctionSet set, long statementLimit, boolean reusable) {
        Context context = JsRuntime.newContext(set.engine, statementLimit);
        try {
            return new Realm(context, reusable);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Routes the bridge to {@code execution} and prepares the realm for its call.
     *
     * @param argumentsWire the call's arguments (an array) as {@link Wire} text
     * @return the arguments as JavaScript values of this realm
     */
    Value attach(Execution execution, long statementLimit, String argumentsWire) {
        prepare(execution, statementLimit);
        return api.invokeMember("begin", argumentsWire);
    }

    /** As {@link #attach}, for arguments that {@link Wire#plain} could pass as they are. */
    Value attachPlain(Execution execution, long statementLimit, Object[] plainArguments) {
        prepare(execution, statementLimit);
        return api.invokeMember("beginPlain", plainArguments);
    }

    /**
     * Routes the bridge to {@code execution}, whose first call into the realm begins its call itself (the bootstrap's
     * {@code enter}, decision record 0052).
     */
    void prepare(Execution execution, long statementLimit) {
        current = execution;
        if (calls++ > 0 && statementLimit > 0) {
            context.resetLimits(); // the statement limit counts per call, not per realm
        }
    }

    /**
     * Ends the attached execution's call: puts the global object back as the call found it.
     *
     * @return whether the realm may serve another call
     */
    boolean detach(boolean callEndedCleanly) {
        boolean clean = false;
        try {
            clean = api.invokeMember("endCall").asBoolean() && callEndedCleanly;
        } catch (RuntimeException e) {
            // a closed (stopped) or broken realm: not reused
        } finally {
            current = null;
        }
        return reusable && clean;
    }

    /**
     * Ends the attached execution's call when the realm already put the global object back (the bootstrap's
     * {@code enter} with a primitive result).
     *
     * @param clean whether the call ended cleanly and the realm's reset succeeded
     * @return whether the realm may serve another call
     */
    boolean release(boolean clean) {
        current = null;
        return reusable && clean;
    }

    /** The wrapper function of {@code source}, evaluated once in this realm. */
    Value factory(Source source) {
        return factories.computeIfAbsent(source, context::eval);
    }

    int calls() {
        return calls;
    }

    /** Closes the Context; one still running code (an abandoned execution) is cancelled. */
    @Override
    public void close() {
        try {
            context.close();
        } catch (IllegalStateException e) {
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // already cancelled
            }
        } catch (RuntimeException e) {
            // already closed or cancelled (the watchdog stopped it)
        }
    }

    /** The bootstrap's {@code host}: its members are those of the execution attached now. */
    private final class Bridge implements ProxyObject {
        private Map<String, Object> members() {
            Execution execution = current;
            return execution == null ? Map.of() : execution.bridgeMembers();
        }

        @Override
        public Object getMember(String key) {
            return members().get(key);
        }

        @Override
        public Object getMemberKeys() {
            return members().keySet().toArray(new String[0]);
        }

        @Override
        public boolean hasMember(String key) {
            return members().containsKey(key);
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException("the host bridge is read-only");
        }
    }
}
