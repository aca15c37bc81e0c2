package dev.thimble.runtime.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.auth.AuthEvents;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The authentication triggers: for each user created, logged in or deleted, every enabled trigger
 * whose {@code action_type} is the event's and whose {@code providers} include the event's provider
 * (no list: every provider) runs its function on a thread of its own, after the event, with
 * {@code {operationType, providers, user, time}}. Auth events happen on one node each, so these need no lease.
 */
final class AuthTriggers implements AuthEvents, AutoCloseable {
    private final Supplier<AppModel> app;
    private final TriggerRuns runs;
    private final ExecutorService runners = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("thimble-auth-trigger-", 1).factory());

    AuthTriggers(Supplier<AppModel> app, TriggerRuns runs) {
        this.app = app;
        this.runs = runs;
    }

    @Override
    public void onAuthEvent(Kind kind, User user, List<String> providers, Instant time) {
        List<TriggerDef> firing = new ArrayList<>();
        for (TriggerDef trigger : app.get().triggers()) {
            if (trigger.type().equals("AUTHENTICATION") && !trigger.disabled() && fires(trigger, kind, providers)) {
                firing.add(trigger);
            }
        }
        if (firing.isEmpty()) {
            return;
        }
        BsonArray providerArray = new BsonArray();
        providers.forEach(p -> providerArray.add(new BsonString(p)));
        BsonDocument event = new BsonDocument("operationType", new BsonString(kind.name()))
                .append("providers", providerArray)
                .append("user", user.principal(new Document()).toContextUser())
                .append("time", new BsonDateTime(time.toEpochMilli()));
        for (TriggerDef trigger : firing) {
            try {
                runners.execute(() -> runs.run(trigger, LogType.AUTH_TRIGGER, trigger.functionName(), List.of(event.clone()), null));
            } catch (RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    static boolean fires(TriggerDef trigger, Kind kind, List<String> providers) {
        var config = trigger.config().obj("config");
        if (!config.text("action_type", "").equalsIgnoreCase(kind.name())) {
            return false;
        }
        JsonNode wanted = config.get("providers");
        if (wanted == null || !wanted.isArray() || wanted.isEmpty()) {
            return true;
        }
        for (JsonNode provider : wanted) {
            if (providers.contains(provider.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits for the runs already started. */
    @Override
    public void close() {
        runners.close();
    }
}
