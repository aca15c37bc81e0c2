package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.NotFound;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.InternalFailure;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.EventMatcher;
import dev.thimble.runtime.changes.Subscription;
import dev.thimble.runtime.data.ReservedNamespaces;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogService;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.DataSourceRules;
import dev.thimble.runtime.rules.QueryPlan;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.rules.RuleException;
import dev.thimble.runtime.server.ClientCalls;
import dev.thimble.runtime.server.ClientWatches;
import dev.thimble.runtime.server.ClientWatches.ClientEvent;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client's {@code watch} on a MongoDB service: checks the request and the caller's access when
 * the stream is asked for, then subscribes to the database's change events for the namespace and
 * passes each one through {@link WatchEvents} with the rules of the app version current at that
 * event; streams that would each make the same view of an event share one ({@link WatchViews}, decision 0061).
 * One log record per stream, written when it opens (or is refused).
 */
public final class WatchService implements ClientWatches {
    private static final Logger log = LoggerFactory.getLogger(WatchService.class);

    private final ChangeEventSource events;
    private final Supplier<CompiledApp> app;
    private final RuleContexts contexts;
    private final LogService logs;
    private final Clock clock;
    private final WatchViews views = new WatchViews();

    WatchService(ChangeEventSource events, Supplier<CompiledApp> app, RuleContexts contexts, LogService logs, Clock clock) {
        this.events = events;
        this.app = app;
        this.contexts = contexts;
        this.logs = logs;
        this.clock = clock;
    }

    @Override
    public Watch prepare(AuthService.Authenticated caller, String service, BsonDocument argument, ClientCalls.CallInfo info) {
        LogRecord.Builder record = LogRecord.start(LogType.SERVICE_STREAM_FUNCTION, clock)
                .request(info.method(), info.url())
                .userId(caller.user().id())
                .remoteIpAddress(info.remoteAddress())
                .service(service, "watch")
                .arguments(new BsonArray(List.of(argument)), false);
        try {
            WatchEvents.Request request = WatchEvents.Request.parse(argument);
            record.namespace(request.database() + "." + request.collection());
            CompiledApp openedOn = app.get();
            WatchViews.CountedFunctions functionCalls = new WatchViews.CountedFunctions();
            RuleContext ctx = contexts.forCaller(Caller.user(ClientCallService.functionUser(caller)), functionCalls::wrap);
            ReservedNamespaces.requireReachable(ctx.isSystem(), request.database(), request.collection(), "watch");
            CollectionRules rules = rules(service, request);
            EventMatcher filters = filters(rules, ctx, request);
            logs.append(record.finish(LogStatus.SUCCESS));
            // a rule filter that ran a function may differ from stream to stream: such a stream shares nothing
            WatchViews.Viewer viewer = functionCalls.calls() == 0
                    ? new WatchViews.Viewer(openedOn, service, ctx.user(), argument.clone()) : null;
            return sink -> subscribe(service, request, ctx, filters, viewer, functionCalls, sink);
        } catch (Failure e) {
            logs.append(record.error(e.logMessage(), e.code()).finish(LogStatus.ERROR));
            throw e;
        }
    }

    private CollectionRules rules(String service, WatchEvents.Request request) {
        DataSourceRules rules = app.get().rules(service);
        if (rules == null) {
            throw new NotFound("ServiceNotFound", "service \"" + service + "\" not found: this app has no MongoDB"
                    + " service of that name (see services/<name>/config.json)");
        }
        return rules.forNamespace(request.database(), request.collection());
    }

    /** The rule filters that apply to this caller, as a matcher over documents; null when there are none. */
    private static EventMatcher filters(CollectionRules rules, RuleContext ctx, WatchEvents.Request request) {
        if (ctx.isSystem()) {
            return null;
        }
        QueryPlan plan;
        try {
            plan = rules.planQuery(ctx, new Document(), null);
        } catch (RuleException e) {
            throw new InternalFailure("InternalServerError", "watch: the rules of " + request.database() + "."
                    + request.collection() + " could not be evaluated: " + e.getMessage() + ". Fix the rule (or the function it calls).");
        }
        if (!plan.allowed()) {
            throw new Forbidden("NoMatchingRuleFound", "no rule exists for namespace \"" + request.database() + "."
                    + request.collection() + "\"; add services/<service>/rules/" + request.database() + "."
                    + request.collection() + ".json");
        }
        if (plan.query() == null || plan.query().isEmpty()) {
            return null;
        }
        try {
            return EventMatcher.compile(WatchEvents.toBson(plan.query()));
        } catch (IllegalArgumentException e) {
            throw new InternalFailure("InternalServerError", "watch: a filter of the rules of " + request.database() + "."
                    + request.collection() + " cannot be applied to change events: " + e.getMessage());
        }
    }

    /** @param functionCalls counts the {@code %function} calls of {@code ctx}: a view made with one is not shared */
    private Subscription subscribe(String service, WatchEvents.Request request, RuleContext ctx, EventMatcher filters,
                                   WatchViews.Viewer viewer, WatchViews.CountedFunctions functionCalls, WatchSink sink) {
        ChangeListener listener = new ChangeListener() {
            @Override
            public void onEvent(ChangeEvent event) {
                ClientEvent out;
                try {
                    CollectionRules rules = rules(service, request);
                    out = views.view(event, viewer, rules,
                            functionCalls.computing(() -> WatchEvents.forClient(event, request, rules, filters, ctx)));
                } catch (RuleException | Failure e) {
                    log.warn("watch on {}.{}: event {} skipped, the rules could not be applied: {}", request.database(),
                            request.collection(), event.resumeData(), e.getMessage());
                    return;
                }
                if (out != null) {
                    sink.event(out);
                }
            }

            @Override
            public void onError(RuntimeException error) {
                String message = error instanceof ChangeHistoryLostException ? error.getMessage()
                        : "the change stream failed: " + error.getMessage();
                sink.error(new InternalFailure("InternalServerError", "watch on " + request.database() + "."
                        + request.collection() + " ended: " + message + "; open the watch again"));
            }
        };
        return events.subscribe(ChangeFilter.collection(request.database(), request.collection()), listener);
    }
}
