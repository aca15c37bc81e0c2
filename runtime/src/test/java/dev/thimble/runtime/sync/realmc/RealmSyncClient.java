package dev.thimble.runtime.sync.realmc;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One real Realm sync client (realm-core's own sync client through its C API): an app pointed at a
 * Thimble base URL over our HTTP transport, an anonymous user, and a flexible-sync realm with the
 * given schema. Every call on the realm runs on the client's own thread, as core requires; waits
 * have generous limits and fail with what the client reported.
 */
public final class RealmSyncClient implements AutoCloseable {
    /** A property of the client's schema. */
    public record Property(String name, int type, boolean nullable, boolean primaryKey, int collectionType, String linkTarget) {
        public Property(String name, int type, boolean nullable, boolean primaryKey) {
            this(name, type, nullable, primaryKey, RealmC.RLM_COLLECTION_TYPE_NONE, "");
        }

        public Property(String name, int type, boolean nullable, boolean primaryKey, int collectionType) {
            this(name, type, nullable, primaryKey, collectionType, "");
        }

        public static Property primaryKey(String name, int type) {
            return new Property(name, type, false, true);
        }

        /** A list ({@link RealmC#RLM_COLLECTION_TYPE_LIST}), set or dictionary of non-null elements. */
        public static Property collection(String name, int collectionType, int elementType) {
            return new Property(name, elementType, false, false, collectionType);
        }

        public static Property optional(String name, int type) {
            return new Property(name, type, true, false);
        }
    }

    /** A link to the object of {@code className} with this primary key, as a value to write; links read back as the target's primary key. */
    public record Link(String className, Object primaryKey) {
    }

    /** A link property (to-one) or list of links to {@code target}. */
    public static Property link(String name, String target, int collectionType) {
        // A to-one link and a dictionary's values are nullable in Realm; list and set elements are not.
        return new Property(name, RealmC.RLM_PROPERTY_TYPE_OBJECT, collectionType == RealmC.RLM_COLLECTION_TYPE_NONE
                || collectionType == RealmC.RLM_COLLECTION_TYPE_DICTIONARY, false, collectionType, target);
    }

    /** A class of the client's schema. */
    public record ObjectClass(String name, List<Property> properties, boolean embedded) {
        public ObjectClass(String name, List<Property> properties) {
            this(name, properties, false);
        }

        /** An embedded class: no primary key; its objects live in a parent's field. */
        public static ObjectClass embedded(String name, List<Property> properties) {
            return new ObjectClass(name, properties, true);
        }
    }

    /** A to-one embedded object property, or a list or dictionary of embedded objects, of class {@code target}. */
    public static Property embedded(String name, String target, int collectionType) {
        return new Property(name, RealmC.RLM_PROPERTY_TYPE_OBJECT, collectionType != RealmC.RLM_COLLECTION_TYPE_LIST, false,
                collectionType, target);
    }

    /** A {@code mixed} property (always nullable). */
    public static Property mixed(String name) {
        return new Property(name, RealmC.RLM_PROPERTY_TYPE_MIXED, true, false);
    }

    /** What a committed subscription set ended in: complete, or an error with the server's message. */
    public record SubscriptionOutcome(boolean complete, String error) {
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Threads for blocking waits in core; they live as long as the JVM (core may keep per-thread state). */
    private static final ExecutorService WAITS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "realm-core-waits");
        t.setDaemon(true);
        return t;
    });
    /** The one thread that completes HTTP requests and waits on subscriptions for every client. */
    private static final ExecutorService CORE_CALLBACKS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "realm-core-callbacks");
        t.setDaemon(true);
        return t;
    });

    private final RealmC c = RealmC.load();
    private final ExecutorService realmThread;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> syncErrors = new CopyOnWriteArrayList<>();
    /**
     * Strong references to every callback and native buffer handed to core, for the life of the test
     * JVM: core's sync threads may call back after a client is closed, and a collected JNA callback
     * would crash the process.
     */
    private static final List<Object> KEEP = new CopyOnWriteArrayList<>();
    private final List<Object> callbacks = KEEP;
    private final List<ObjectClass> schema;
    private Pointer app;
    private Pointer user;
    private Pointer realm;
    private String userId;

    private RealmSyncClient(String name, List<ObjectClass> schema) {
        this.schema = List.copyOf(schema);
        this.realmThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "realm-client-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Logs in anonymously to the app at {@code baseUrl} and opens a flexible-sync realm under {@code dir}. */
    public static RealmSyncClient open(String baseUrl, String clientAppId, Path dir, List<ObjectClass> schema) {
        RealmSyncClient client = new RealmSyncClient(dir.getFileName().toString(), schema);
        try {
            client.start(baseUrl, clientAppId, dir);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void start(String baseUrl, String clientAppId, Path dir) {
        c.realm_set_log_level(Integer.getInteger("thimble.realmLogLevel", RealmC.RLM_LOG_LEVEL_INFO));
        RealmC.HttpRequestFunc transport = this::sendHttp;
        RealmC.FreeFunc noFree = p -> { };
        callbacks.add(transport);
        callbacks.add(noFree);
        Pointer httpTransport = c.realm_http_transport_new(transport, null, noFree);
        Pointer appConfig = c.realm_app_config_new(clientAppId, httpTransport);
        c.realm_app_config_set_base_url(appConfig, baseUrl);
        c.realm_app_config_set_base_file_path(appConfig, dir.toAbsolutePath().toString());
        c.realm_app_config_set_metadata_mode(appConfig, 0);
        c.realm_app_config_set_platform_version(appConfig, System.getProperty("os.version"));
        c.realm_app_config_set_sdk(appConfig, "Kotlin");
        c.realm_app_config_set_sdk_version(appConfig, "2.3.0");
        c.realm_app_config_set_framework_name(appConfig, "JVM");
        c.realm_app_config_set_framework_version(appConfig, System.getProperty("java.version"));
        Pointer syncClientConfig = c.realm_app_config_get_sync_client_config(appConfig);
        c.realm_sync_client_config_set_reconnect_mode(syncClientConfig, RealmC.RLM_SYNC_CLIENT_RECONNECT_MODE_TESTING);
        c.realm_sync_client_config_set_connect_timeout(syncClientConfig, 10_000);
        app = c.realm_app_create(appConfig);
        check(app != null, "realm_app_create");
        logIn();
        onRealmThread(() -> {
            openRealm(dir);
            return null;
        });
    }

    private void logIn() {
        CompletableFuture<Pointer> loggedIn = new CompletableFuture<>();
        RealmC.UserCompletionFunc done = (userdata, loggedInUser, error) -> {
            if (error != null || loggedInUser == null) {
                loggedIn.completeExceptionally(new IllegalStateException(
                        "Login failed (category " + error.getInt(0) + ", code " + error.getInt(4) + ")"));
            } else {
                loggedIn.complete(c.realm_clone(loggedInUser));
            }
        };
        callbacks.add(done);
        Pointer credentials = c.realm_app_credentials_new_anonymous(false);
        check(c.realm_app_log_in_with_credentials(app, credentials, done, null, null), "realm_app_log_in_with_credentials");
        user = await(loggedIn, "login");
        userId = c.realm_user_get_identity(user).getString(0);
    }

    private void openRealm(Path dir) {
        Pointer syncConfig = c.realm_flx_sync_config_new(user);
        c.realm_sync_config_set_session_stop_policy(syncConfig, RealmC.RLM_SYNC_SESSION_STOP_POLICY_IMMEDIATELY);
        RealmC.SyncErrorHandler onError = (userdata, session, error) ->
                syncErrors.add(error.message == null ? "code " + error.error : error.message.getString(0));
        callbacks.add(onError);
        c.realm_sync_config_set_error_handler(syncConfig, onError, null, null);

        Pointer config = c.realm_config_new();
        c.realm_config_set_path(config, dir.resolve("client.realm").toAbsolutePath().toString());
        c.realm_config_set_schema(config, nativeSchema());
        c.realm_config_set_schema_version(config, 0);
        c.realm_config_set_schema_mode(config, RealmC.RLM_SCHEMA_MODE_ADDITIVE_EXPLICIT);
        c.realm_config_set_sync_config(config, syncConfig);
        c.realm_config_set_scheduler(config, scheduler());
        realm = c.realm_open(config);
        check(realm != null, "realm_open");
    }

    /** A scheduler whose work runs on this client's realm thread (core calls notify from any thread). */
    private Pointer scheduler() {
        Thread owner = Thread.currentThread();
        RealmC.SchedulerNotify notify = (userdata, workQueue) -> {
            if (!realmThread.isShutdown()) {
                realmThread.execute(() -> c.realm_scheduler_perform_work(workQueue));
            }
        };
        RealmC.SchedulerIsOnThread onThread = userdata -> Thread.currentThread() == owner;
        RealmC.SchedulerIsSameAs sameAs = (a, b) -> java.util.Objects.equals(a, b);
        RealmC.SchedulerIsOnThread canDeliver = userdata -> true;
        callbacks.addAll(List.of(notify, onThread, sameAs, canDeliver));
        Memory identity = new Memory(1);
        callbacks.add(identity);
        return c.realm_scheduler_new(identity, null, notify, onThread, sameAs, canDeliver);
    }

    private Pointer nativeSchema() {
        RealmC.ClassInfo first = new RealmC.ClassInfo();
        RealmC.ClassInfo[] classes = (RealmC.ClassInfo[]) first.toArray(schema.size());
        Memory propertyArrays = new Memory((long) Native.POINTER_SIZE * schema.size());
        for (int i = 0; i < schema.size(); i++) {
            ObjectClass oc = schema.get(i);
            classes[i].name = oc.name();
            classes[i].primary_key = oc.properties().stream().filter(Property::primaryKey).map(Property::name).findFirst().orElse("");
            classes[i].num_properties = oc.properties().size();
            classes[i].flags = oc.embedded() ? RealmC.RLM_CLASS_EMBEDDED : 0;
            RealmC.PropertyInfo[] props = (RealmC.PropertyInfo[]) new RealmC.PropertyInfo().toArray(oc.properties().size());
            for (int j = 0; j < props.length; j++) {
                Property p = oc.properties().get(j);
                props[j].name = p.name();
                // toArray() read the zeroed memory into each element: empty strings must be set again, never null.
                props[j].public_name = "";
                props[j].link_target = p.linkTarget();
                props[j].link_origin_property_name = "";
                props[j].type = p.type();
                props[j].collection_type = p.collectionType();
                props[j].flags = (p.nullable() ? RealmC.RLM_PROPERTY_NULLABLE : 0)
                        | (p.primaryKey() ? RealmC.RLM_PROPERTY_PRIMARY_KEY | RealmC.RLM_PROPERTY_INDEXED : 0);
                props[j].write();
            }
            callbacks.add(props);
            propertyArrays.setPointer((long) Native.POINTER_SIZE * i, props[0].getPointer());
            classes[i].write();
        }
        callbacks.add(classes);
        callbacks.add(propertyArrays);
        Pointer nativeSchema = c.realm_schema_new(classes[0], schema.size(), propertyArrays);
        check(nativeSchema != null, "realm_schema_new");
        return nativeSchema;
    }

    // ---- HTTP transport: core's app requests go to the server over java.net.http --------------

    private void sendHttp(Pointer userdata, RealmC.HttpRequest request, Pointer requestContext) {
        String url = request.url.getString(0);
        String method = switch (request.method) {
            case 0 -> "GET";
            case 1 -> "POST";
            case 2 -> "PATCH";
            case 3 -> "PUT";
            default -> "DELETE";
        };
        byte[] body = request.body_size == 0 ? new byte[0] : request.body.getByteArray(0, (int) request.body_size);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(Math.max(request.timeout_ms, 30_000)))
                .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < request.num_headers; i++) {
            RealmC.HttpHeader header = new RealmC.HttpHeader(request.headers.share((long) i * 2 * Native.POINTER_SIZE));
            String name = header.name.getString(0);
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, header.value.getString(0));
            }
        }
        // Completed on one long-lived thread: core runs the request's continuation (metadata writes, the
        // sync session's start) on the completing thread, and short-lived pool threads must not do that.
        http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((response, failure) ->
                completeHttp(requestContext, response, failure), CORE_CALLBACKS);
    }

    private static final java.util.Set<String> RESTRICTED_HEADERS = java.util.Set.of("content-length", "host", "connection");

    private void completeHttp(Pointer requestContext, HttpResponse<byte[]> response, Throwable failure) {
        RealmC.HttpResponse out = new RealmC.HttpResponse();
        List<Memory> keepAlive = new ArrayList<>();
        if (failure != null) {
            out.status_code = 0;
            out.custom_status_code = 1000;
        } else {
            out.status_code = response.statusCode();
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    headers.put(name, String.join(",", values));
                }
            });
            if (!headers.isEmpty()) {
                RealmC.HttpHeader[] array = (RealmC.HttpHeader[]) new RealmC.HttpHeader().toArray(headers.size());
                int i = 0;
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    array[i].name = cString(h.getKey(), keepAlive);
                    array[i].value = cString(h.getValue(), keepAlive);
                    array[i].write();
                    i++;
                }
                out.headers = array[0].getPointer();
                out.num_headers = headers.size();
                callbacksFor(array);
            }
            byte[] body = response.body();
            if (body.length > 0) {
                Memory memory = new Memory(body.length);
                memory.write(0, body, 0, body.length);
                keepAlive.add(memory);
                out.body = memory;
                out.body_size = body.length;
            }
        }
        out.write();
        c.realm_http_transport_complete_request(requestContext, out);
        keepAlive.clear();
    }

    private final List<Object> responseArrays = new CopyOnWriteArrayList<>();

    private void callbacksFor(Structure[] array) {
        // Held until the response is handed over; core copies the response before returning.
        responseArrays.add(array);
        if (responseArrays.size() > 64) {
            responseArrays.removeFirst();
        }
    }

    private static Pointer cString(String s, List<Memory> keepAlive) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory memory = new Memory(bytes.length + 1);
        memory.write(0, bytes, 0, bytes.length);
        memory.setByte(bytes.length, (byte) 0);
        keepAlive.add(memory);
        return memory;
    }

    // ---- the app's API for tests ---------------------------------------------------------------

    /** The logged-in user's id, as the server issued it. */
    public String userId() {
        return userId;
    }

    /** Errors the sync session reported to the error handler, in order. */
    public List<String> syncErrors() {
        return List.copyOf(syncErrors);
    }

    /** Adds a subscription to the latest set, commits it, and waits until the server completes or rejects it. */
    public SubscriptionOutcome subscribe(String className, String query) {
        return subscribe(className, query, false);
    }

    /** Replaces every subscription with this one query (a narrower view: objects outside it leave the client). */
    public SubscriptionOutcome subscribeOnly(String className, String query) {
        return subscribe(className, query, true);
    }

    /** A committed subscription set the server has not necessarily answered yet: {@link #await()} waits for its outcome. */
    public final class PendingSubscription {
        private final Pointer committed;
        private final String className;
        private final String query;

        private PendingSubscription(Pointer committed, String className, String query) {
            this.committed = committed;
            this.className = className;
            this.query = query;
        }

        /** Waits until the server completes or rejects the set. */
        public SubscriptionOutcome await() {
            return awaitSubscription(committed, className, query);
        }
    }

    /**
     * Adds a subscription to the latest set and commits it without waiting: writes made before {@link PendingSubscription#await()}
     * reach the client's history before the set's bootstrap does.
     */
    public PendingSubscription subscribeWithoutWaiting(String className, String query) {
        return new PendingSubscription(commitSubscription(className, query, false), className, query);
    }

    private SubscriptionOutcome subscribe(String className, String query, boolean replace) {
        Pointer committed;
        try {
            committed = commitSubscription(className, query, replace);
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("Unable to lock version")) {
                throw e;
            }
            // Seen once under load: core's sync thread cleaned up the subscription store's version between
            // reading the latest set and committing the mutable copy. The next attempt reads the new latest set.
            committed = commitSubscription(className, query, replace);
        }
        return awaitSubscription(committed, className, query);
    }

    private Pointer commitSubscription(String className, String query, boolean replace) {
        return onRealmThread(() -> {
            int classKey = classKey(className);
            Pointer latest = c.realm_sync_get_latest_subscription_set(realm);
            check(latest != null, "realm_sync_get_latest_subscription_set");
            Pointer mutable = c.realm_sync_make_subscription_set_mutable(latest);
            if (replace) {
                check(c.realm_sync_subscription_set_clear(mutable), "realm_sync_subscription_set_clear");
            }
            Pointer parsed = c.realm_query_parse(realm, classKey, query, 0, null);
            check(parsed != null, "realm_query_parse(" + query + ")");
            check(c.realm_sync_subscription_set_insert_or_assign_query(mutable, parsed, className + ": " + query,
                    new LongByReference(), new byte[1]), "insert_or_assign_query");
            Pointer set = c.realm_sync_subscription_set_commit(mutable);
            check(set != null, "realm_sync_subscription_set_commit");
            return set;
        });
    }

    private SubscriptionOutcome awaitSubscription(Pointer committed, String className, String query) {
        CompletableFuture<Integer> state = new CompletableFuture<>();
        RealmC.SubscriptionStateCallback onState = (userdata, reached) -> state.complete(reached);
        callbacks.add(onState);
        check(c.realm_sync_on_subscription_set_state_change_async(committed, RealmC.RLM_SYNC_SUBSCRIPTION_COMPLETE,
                onState, null, null), "realm_sync_on_subscription_set_state_change_async");
        int finalState = await(state, "subscription " + className + ": " + query);
        if (finalState == RealmC.RLM_SYNC_SUBSCRIPTION_COMPLETE) {
            return new SubscriptionOutcome(true, null);
        }
        Pointer error = onRealmThread(() -> {
            c.realm_sync_subscription_set_refresh(committed);
            return c.realm_sync_subscription_set_error_str(committed);
        });
        return new SubscriptionOutcome(false, error == null ? "state " + finalState : error.getString(0));
    }

    /** Creates an object with the given primary key and values in one write transaction. */
    public void create(String className, Object primaryKey, Map<String, Object> values) {
        write(className, primaryKey, values, true);
    }

    /** Creates many objects (primary key → values) in one write transaction: one changeset for the whole batch. */
    public void createAll(String className, Map<?, Map<String, Object>> objects) {
        onRealmThread(() -> {
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            check(c.realm_begin_write(realm), "realm_begin_write");
            for (Map.Entry<?, Map<String, Object>> o : objects.entrySet()) {
                Pointer object = c.realm_object_create_with_primary_key(realm, classKey, RealmValues.of(o.getKey(), keepAlive));
                check(object != null, "create " + className + " " + o.getKey());
                for (Map.Entry<String, Object> field : o.getValue().entrySet()) {
                    check(c.realm_set_value(object, propertyKey(classKey, field.getKey()),
                            value(field.getValue(), keepAlive), false), "set " + field.getKey());
                }
                c.realm_release(object);
            }
            check(c.realm_commit(realm), "realm_commit");
            return null;
        });
    }

    /** Sets the given fields of an existing object in one write transaction. */
    public void update(String className, Object primaryKey, Map<String, Object> values) {
        write(className, primaryKey, values, false);
    }

    private void write(String className, Object primaryKey, Map<String, Object> values, boolean create) {
        onRealmThread(() -> {
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            check(c.realm_begin_write(realm), "realm_begin_write");
            Pointer object = create
                    ? c.realm_object_create_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive))
                    : c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), new byte[1]);
            check(object != null, (create ? "create " : "find ") + className + " " + primaryKey);
            for (Map.Entry<String, Object> field : values.entrySet()) {
                check(c.realm_set_value(object, propertyKey(classKey, field.getKey()),
                        value(field.getValue(), keepAlive), false), "set " + field.getKey());
            }
            check(c.realm_commit(realm), "realm_commit");
            c.realm_release(object);
            return null;
        });
    }

    /** One collection edit on an object, in a write transaction of its own. */
    public interface CollectionWrite {
        void apply(RealmC c, Pointer object, long propertyKey, Values values);
    }

    /** Turns test values (including {@link Link}s) into core values during a write. */
    public interface Values {
        RealmC.RealmValue.ByValue of(Object value);
    }

    /** Edits a collection field of an existing object in one write transaction (see {@link CollectionWrites}). */
    public void edit(String className, Object primaryKey, String field, CollectionWrite... writes) {
        onRealmThread(() -> {
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            check(c.realm_begin_write(realm), "realm_begin_write");
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), new byte[1]);
            check(object != null, "find " + className + " " + primaryKey);
            long property = propertyKey(classKey, field);
            for (CollectionWrite w : writes) {
                w.apply(c, object, property, v -> value(v, keepAlive));
            }
            check(c.realm_commit(realm), "realm_commit");
            c.realm_release(object);
            return null;
        });
    }

    /**
     * A collection field's elements as the client holds them after a refresh (a list or set as a List,
     * a dictionary as a Map), or null if the client does not hold the object.
     */
    public Object collection(String className, Object primaryKey, String field) {
        return onRealmThread(() -> {
            c.realm_refresh(realm, new byte[1]);
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            byte[] found = new byte[1];
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), found);
            if (object == null || found[0] == 0) {
                c.realm_clear_last_error();
                return null;
            }
            long property = propertyKey(classKey, field);
            RealmC.PropertyInfo info = new RealmC.PropertyInfo();
            check(c.realm_find_property(realm, classKey, field, new byte[1], info), "find property " + field);
            info.read();
            LongByReference size = new LongByReference();
            Object out;
            switch (info.collection_type) {
                case RealmC.RLM_COLLECTION_TYPE_LIST -> {
                    Pointer list = c.realm_get_list(object, property);
                    check(list != null && c.realm_list_size(list, size), "list size");
                    List<Object> items = new ArrayList<>();
                    for (long i = 0; i < size.getValue(); i++) {
                        RealmC.RealmValue v = new RealmC.RealmValue();
                        check(c.realm_list_get(list, i, v), "list get");
                        v.read();
                        items.add(resolve(RealmValues.from(v)));
                    }
                    c.realm_release(list);
                    out = items;
                }
                case RealmC.RLM_COLLECTION_TYPE_SET -> {
                    Pointer set = c.realm_get_set(object, property);
                    check(set != null && c.realm_set_size(set, size), "set size");
                    List<Object> items = new ArrayList<>();
                    for (long i = 0; i < size.getValue(); i++) {
                        RealmC.RealmValue v = new RealmC.RealmValue();
                        check(c.realm_set_get(set, i, v), "set get");
                        v.read();
                        items.add(resolve(RealmValues.from(v)));
                    }
                    c.realm_release(set);
                    out = items;
                }
                default -> {
                    Pointer dictionary = c.realm_get_dictionary(object, property);
                    check(dictionary != null && c.realm_dictionary_size(dictionary, size), "dictionary size");
                    Map<String, Object> entries = new LinkedHashMap<>();
                    for (long i = 0; i < size.getValue(); i++) {
                        RealmC.RealmValue k = new RealmC.RealmValue();
                        RealmC.RealmValue v = new RealmC.RealmValue();
                        check(c.realm_dictionary_get(dictionary, i, k, v), "dictionary get");
                        k.read();
                        v.read();
                        entries.put((String) RealmValues.from(k), resolve(RealmValues.from(v)));
                    }
                    c.realm_release(dictionary);
                    out = entries;
                }
            }
            c.realm_release(object);
            return out;
        });
    }

    // ---- embedded objects -----------------------------------------------------------------------

    /** Creates a new embedded object in the to-one property {@code field} (replacing any) with these values. */
    public void setEmbedded(String className, Object primaryKey, String field, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_set_embedded", (object, property) -> c.realm_set_embedded(object, property));
    }

    /** Sets values of the embedded object in {@code field} (which must exist). */
    public void updateEmbedded(String className, Object primaryKey, String field, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_get_linked_object",
                (object, property) -> c.realm_get_linked_object(object, property));
    }

    /** Deletes the embedded object in {@code field} (sets the property to null). */
    public void removeEmbedded(String className, Object primaryKey, String field) {
        inWrite(className, primaryKey, (object, keepAlive) ->
                check(c.realm_set_value(object, propertyKey(classKey(className), field), RealmValues.of(null, keepAlive), false), "set null"));
    }

    /** Edits the collection {@code sub} of the embedded object in the to-one property {@code field} (which must exist), in one write. */
    public void editInEmbedded(String className, Object primaryKey, String field, String sub, CollectionWrite... writes) {
        inWrite(className, primaryKey, (object, keepAlive) -> {
            Pointer embedded = c.realm_get_linked_object(object, propertyKey(classKey(className), field));
            check(embedded != null, "the embedded object in " + field);
            long property = propertyKey(classKey(targetOf(className, field)), sub);
            for (CollectionWrite w : writes) {
                w.apply(c, embedded, property, v -> value(v, keepAlive));
            }
            c.realm_release(embedded);
        });
    }

    /** Creates (replacing any) the embedded object {@code sub} inside the embedded object in {@code field}, with these values. */
    public void setNestedEmbedded(String className, Object primaryKey, String field, String sub, Map<String, Object> values) {
        inWrite(className, primaryKey, (object, keepAlive) -> {
            Pointer embedded = c.realm_get_linked_object(object, propertyKey(classKey(className), field));
            check(embedded != null, "the embedded object in " + field);
            String embeddedClass = targetOf(className, field);
            Pointer nested = c.realm_set_embedded(embedded, propertyKey(classKey(embeddedClass), sub));
            check(nested != null, "realm_set_embedded " + sub);
            setAll(nested, targetOf(embeddedClass, sub), values, keepAlive);
        });
    }

    /** Inserts a new embedded object with these values at {@code index} of the list {@code field}. */
    public void insertEmbedded(String className, Object primaryKey, String field, long index, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_list_insert_embedded",
                (object, property) -> c.realm_list_insert_embedded(collection(c.realm_get_list(object, property), field), index));
    }

    /** Replaces the element at {@code index} of the list {@code field} with a new embedded object with these values. */
    public void replaceEmbeddedAt(String className, Object primaryKey, String field, long index, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_list_set_embedded",
                (object, property) -> c.realm_list_set_embedded(collection(c.realm_get_list(object, property), field), index));
    }

    /** Sets values of the embedded object at {@code index} of the list {@code field}. */
    public void updateEmbeddedAt(String className, Object primaryKey, String field, long index, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_list_get_linked_object",
                (object, property) -> c.realm_list_get_linked_object(collection(c.realm_get_list(object, property), field), index));
    }

    /** Puts a new embedded object with these values under {@code key} of the dictionary {@code field}. */
    public void putEmbedded(String className, Object primaryKey, String field, String key, Map<String, Object> values) {
        editEmbedded(className, primaryKey, field, values, "realm_dictionary_insert_embedded", (object, property) -> {
            List<Memory> keyAlive = new ArrayList<>();
            return c.realm_dictionary_insert_embedded(collection(c.realm_get_dictionary(object, property), field),
                    RealmValues.of(key, keyAlive));
        });
    }

    /** In one write: reaches (or creates) an embedded object of {@code field} with {@code locate} and sets these values on it. */
    private void editEmbedded(String className, Object primaryKey, String field, Map<String, Object> values, String what,
                              java.util.function.BiFunction<Pointer, Long, Pointer> locate) {
        inWrite(className, primaryKey, (object, keepAlive) -> {
            Pointer embedded = locate.apply(object, propertyKey(classKey(className), field));
            check(embedded != null, what + " " + field);
            setAll(embedded, targetOf(className, field), values, keepAlive);
        });
    }

    /** A list or dictionary of an object, which must exist. */
    private Pointer collection(Pointer collection, String field) {
        check(collection != null, "the collection " + field);
        return collection;
    }

    /**
     * The embedded object(s) in {@code field} after a refresh, each as a map of its properties: one map
     * (or null) for a to-one property, a list of maps for a list, a map of maps for a dictionary; null
     * if the client does not hold the parent object.
     */
    public Object readEmbedded(String className, Object primaryKey, String field) {
        return onRealmThread(() -> {
            c.realm_refresh(realm, new byte[1]);
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            byte[] found = new byte[1];
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), found);
            if (object == null || found[0] == 0) {
                c.realm_clear_last_error();
                return null;
            }
            String target = targetOf(className, field);
            long property = propertyKey(classKey, field);
            RealmC.PropertyInfo info = new RealmC.PropertyInfo();
            check(c.realm_find_property(realm, classKey, field, new byte[1], info), "find property " + field);
            info.read();
            Object out;
            LongByReference size = new LongByReference();
            switch (info.collection_type) {
                case RealmC.RLM_COLLECTION_TYPE_LIST -> {
                    Pointer list = c.realm_get_list(object, property);
                    check(list != null && c.realm_list_size(list, size), "list size");
                    List<Object> items = new ArrayList<>();
                    for (long i = 0; i < size.getValue(); i++) {
                        Pointer e = c.realm_list_get_linked_object(list, i);
                        items.add(e == null ? null : readAll(e, target));
                    }
                    out = items;
                }
                case RealmC.RLM_COLLECTION_TYPE_DICTIONARY -> {
                    Pointer dictionary = c.realm_get_dictionary(object, property);
                    check(dictionary != null && c.realm_dictionary_size(dictionary, size), "dictionary size");
                    Map<String, Object> entries = new java.util.TreeMap<>();
                    for (long i = 0; i < size.getValue(); i++) {
                        RealmC.RealmValue k = new RealmC.RealmValue();
                        RealmC.RealmValue v = new RealmC.RealmValue();
                        check(c.realm_dictionary_get(dictionary, i, k, v), "dictionary get");
                        k.read();
                        String key = (String) RealmValues.from(k);
                        Pointer e = c.realm_dictionary_get_linked_object(dictionary, RealmValues.of(key, keepAlive));
                        entries.put(key, e == null ? null : readAll(e, target));
                    }
                    out = entries;
                }
                default -> {
                    Pointer e = c.realm_get_linked_object(object, property);
                    c.realm_clear_last_error();
                    out = e == null ? null : readAll(e, target);
                }
            }
            return out;
        });
    }

    private interface ObjectWrite {
        void apply(Pointer object, List<Memory> keepAlive);
    }

    private void inWrite(String className, Object primaryKey, ObjectWrite write) {
        onRealmThread(() -> {
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            check(c.realm_begin_write(realm), "realm_begin_write");
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), new byte[1]);
            check(object != null, "find " + className + " " + primaryKey);
            write.apply(object, keepAlive);
            check(c.realm_commit(realm), "realm_commit");
            return null;
        });
    }

    private void setAll(Pointer object, String className, Map<String, Object> values, List<Memory> keepAlive) {
        int classKey = classKey(className);
        for (Map.Entry<String, Object> field : values.entrySet()) {
            check(c.realm_set_value(object, propertyKey(classKey, field.getKey()), value(field.getValue(), keepAlive), false),
                    "set " + className + "." + field.getKey());
        }
    }

    /** Every property of an object of {@code className} (scalars and mixed), by name, in schema order. */
    private Map<String, Object> readAll(Pointer object, String className) {
        int classKey = classKey(className);
        Map<String, Object> out = new java.util.TreeMap<>();
        for (Property p : schema.stream().filter(oc -> oc.name().equals(className)).findFirst().orElseThrow().properties()) {
            if (p.collectionType() == RealmC.RLM_COLLECTION_TYPE_LIST && p.linkTarget().isEmpty()) {
                Pointer list = c.realm_get_list(object, propertyKey(classKey, p.name()));
                LongByReference size = new LongByReference();
                check(list != null && c.realm_list_size(list, size), "list size of " + p.name());
                List<Object> items = new ArrayList<>();
                for (long i = 0; i < size.getValue(); i++) {
                    RealmC.RealmValue v = new RealmC.RealmValue();
                    check(c.realm_list_get(list, i, v), "list get");
                    v.read();
                    items.add(resolve(RealmValues.from(v)));
                }
                c.realm_release(list);
                out.put(p.name(), items);
                continue;
            }
            if (p.collectionType() == RealmC.RLM_COLLECTION_TYPE_DICTIONARY && p.linkTarget().isEmpty()) {
                Pointer dictionary = c.realm_get_dictionary(object, propertyKey(classKey, p.name()));
                LongByReference size = new LongByReference();
                check(dictionary != null && c.realm_dictionary_size(dictionary, size), "dictionary size of " + p.name());
                Map<String, Object> entries = new java.util.TreeMap<>();
                for (long i = 0; i < size.getValue(); i++) {
                    RealmC.RealmValue k = new RealmC.RealmValue();
                    RealmC.RealmValue v = new RealmC.RealmValue();
                    check(c.realm_dictionary_get(dictionary, i, k, v), "dictionary get");
                    k.read();
                    v.read();
                    entries.put((String) RealmValues.from(k), resolve(RealmValues.from(v)));
                }
                c.realm_release(dictionary);
                out.put(p.name(), entries);
                continue;
            }
            if (p.collectionType() == RealmC.RLM_COLLECTION_TYPE_NONE && !p.linkTarget().isEmpty()
                    && schema.stream().anyMatch(oc -> oc.name().equals(p.linkTarget()) && oc.embedded())) {
                Pointer nested = c.realm_get_linked_object(object, propertyKey(classKey, p.name()));
                c.realm_clear_last_error();
                out.put(p.name(), nested == null ? null : readAll(nested, p.linkTarget()));
                continue;
            }
            if (p.collectionType() != RealmC.RLM_COLLECTION_TYPE_NONE) {
                continue; // other collections are read with collection()/readEmbedded()
            }
            RealmC.RealmValue value = new RealmC.RealmValue();
            check(c.realm_get_value(object, propertyKey(classKey, p.name()), value), "get " + p.name());
            value.read();
            out.put(p.name(), resolve(RealmValues.from(value)));
        }
        return out;
    }

    private String targetOf(String className, String field) {
        return schema.stream().filter(oc -> oc.name().equals(className)).flatMap(oc -> oc.properties().stream())
                .filter(p -> p.name().equals(field)).findFirst().orElseThrow(() -> new IllegalArgumentException("no property " + field))
                .linkTarget();
    }

    /** The class of the object a link (or a link in a mixed) field points to, after a refresh; null if it holds no link. */
    public String linkTargetClass(String className, Object primaryKey, String field) {
        return onRealmThread(() -> {
            c.realm_refresh(realm, new byte[1]);
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            byte[] found = new byte[1];
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), found);
            if (object == null || found[0] == 0) {
                c.realm_clear_last_error();
                return null;
            }
            RealmC.RealmValue value = new RealmC.RealmValue();
            check(c.realm_get_value(object, propertyKey(classKey, field), value), "get " + field);
            value.read();
            c.realm_release(object);
            if (!(RealmValues.from(value) instanceof RealmValues.LinkRef ref)) {
                return null;
            }
            RealmC.ClassInfo info = new RealmC.ClassInfo();
            check(c.realm_get_class(realm, ref.classKey(), info), "realm_get_class");
            info.read();
            return info.name;
        });
    }

    /** Adds {@code delta} to a counter (an integer property) in one write: the client uploads an AddInteger. */
    public void increment(String className, Object primaryKey, String field, long delta) {
        inWrite(className, primaryKey, (object, keepAlive) ->
                check(c.realm_object_add_int(object, propertyKey(classKey(className), field), delta), "add to " + field));
    }

    /** Deletes an object in one write transaction. */
    public void delete(String className, Object primaryKey) {
        onRealmThread(() -> {
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            check(c.realm_begin_write(realm), "realm_begin_write");
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), new byte[1]);
            check(object != null, "find " + className + " " + primaryKey);
            check(c.realm_object_delete(object), "realm_object_delete");
            check(c.realm_commit(realm), "realm_commit");
            c.realm_release(object);
            return null;
        });
    }

    /** The object's values for the named fields after a refresh, or null if the client does not hold it. */
    public Map<String, Object> get(String className, Object primaryKey, List<String> fields) {
        return onRealmThread(() -> {
            c.realm_refresh(realm, new byte[1]);
            int classKey = classKey(className);
            List<Memory> keepAlive = new ArrayList<>();
            byte[] found = new byte[1];
            Pointer object = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(primaryKey, keepAlive), found);
            if (object == null || found[0] == 0) {
                c.realm_clear_last_error();
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String field : fields) {
                RealmC.RealmValue value = new RealmC.RealmValue();
                check(c.realm_get_value(object, propertyKey(classKey, field), value), "get " + field);
                value.read();
                out.put(field, resolve(RealmValues.from(value)));
            }
            c.realm_release(object);
            return out;
        });
    }

    /** How many objects of the class the client holds, after a refresh. */
    public long count(String className) {
        return onRealmThread(() -> {
            c.realm_refresh(realm, new byte[1]);
            LongByReference count = new LongByReference();
            check(c.realm_get_num_objects(realm, classKey(className), count), "realm_get_num_objects");
            return count.getValue();
        });
    }

    /** Waits until everything written locally has been uploaded and acknowledged by the server. */
    public void waitForUpload() {
        awaitSync(true);
    }

    /** Waits until the client has downloaded everything the server had when the wait began. */
    public void waitForDownload() {
        awaitSync(false);
    }

    private void awaitSync(boolean upload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RealmC.SyncWaitFunc callback = (userdata, error) -> {
            if (error == null) {
                done.complete(null);
            } else {
                Pointer message = error.getPointer(8);
                done.completeExceptionally(new IllegalStateException(message == null ? "sync wait failed" : message.getString(0)));
            }
        };
        callbacks.add(callback);
        Pointer session = onRealmThread(() -> c.realm_sync_session_get(realm));
        check(session != null, "realm_sync_session_get");
        if (upload) {
            c.realm_sync_session_wait_for_upload_completion(session, callback, null, null);
        } else {
            c.realm_sync_session_wait_for_download_completion(session, callback, null, null);
        }
        await(done, upload ? "upload completion" : "download completion");
        // The session handle is deliberately not released here (see awaitSync).
    }

    /** Takes the sync session offline: local writes stay local until {@link #goOnline()}. */
    public void goOffline() {
        onRealmThread(() -> {
            Pointer session = c.realm_sync_session_get(realm);
            check(session != null, "realm_sync_session_get");
            c.realm_sync_session_pause(session);
            return null;
        });
    }

    /** Brings the sync session back online: it reconnects, uploads what was written offline and downloads. */
    public void goOnline() {
        onRealmThread(() -> {
            Pointer session = c.realm_sync_session_get(realm);
            check(session != null, "realm_sync_session_get");
            c.realm_sync_session_resume(session);
            return null;
        });
        reconnect(); // in the testing reconnect mode a connection that failed waits for this
    }

    /** Asks the sync client to reconnect now (after the server went away and came back). */
    public void reconnect() {
        c.realm_app_sync_client_reconnect(app);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A value to write: a {@link Link} becomes core's link to the target object (which must exist here). */
    RealmC.RealmValue.ByValue value(Object v, List<Memory> keepAlive) {
        if (v instanceof Link link) {
            int classKey = classKey(link.className());
            Pointer target = c.realm_object_find_with_primary_key(realm, classKey, RealmValues.of(link.primaryKey(), keepAlive), new byte[1]);
            check(target != null, "find link target " + link);
            long key = c.realm_object_get_key(target);
            c.realm_release(target);
            return RealmValues.link(classKey, key);
        }
        return RealmValues.of(v, keepAlive);
    }

    /** A link read back becomes the target's primary key (its {@code _id}); other values stay as they are. */
    private Object resolve(Object v) {
        if (!(v instanceof RealmValues.LinkRef ref)) {
            return v;
        }
        Pointer target = c.realm_get_object(realm, ref.classKey(), ref.objectKey());
        check(target != null, "get link target");
        RealmC.RealmValue id = new RealmC.RealmValue();
        check(c.realm_get_value(target, propertyKey(ref.classKey(), "_id"), id), "get link target _id");
        id.read();
        c.realm_release(target);
        return RealmValues.from(id);
    }

    private int classKey(String className) {
        RealmC.ClassInfo info = new RealmC.ClassInfo();
        byte[] found = new byte[1];
        check(c.realm_find_class(realm, className, found, info) && found[0] != 0, "find class " + className);
        info.read();
        return info.key;
    }

    private long propertyKey(int classKey, String name) {
        RealmC.PropertyInfo info = new RealmC.PropertyInfo();
        byte[] found = new byte[1];
        check(c.realm_find_property(realm, classKey, name, found, info) && found[0] != 0, "find property " + name);
        info.read();
        return info.key;
    }

    private <T> T onRealmThread(Callable<T> work) {
        return await(CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, realmThread), "realm call");
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("The Realm client did not finish " + what + " within " + WAIT.toSeconds()
                    + " s; sync errors: " + syncErrors);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            RealmC.RealmError error = new RealmC.RealmError();
            String message = c.realm_get_last_error(error) ? error.message : "no error recorded";
            c.realm_clear_last_error();
            throw new IllegalStateException(what + " failed: " + message);
        }
    }

    @Override
    public void close() {
        try {
            if (realm != null) {
                onRealmThread(() -> {
                    c.realm_close(realm);
                    c.realm_release(realm);
                    return null;
                });
            }
            if (app != null) {
                // Let the sync client finish with this realm before the next test reuses the process.
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> c.realm_app_sync_client_wait_for_sessions_to_terminate(app), WAITS);
                await(stopped, "session shutdown");
                // Releasing the last handle on the app stops its sync client and joins its threads now,
                // while the JVM runs; left to process exit, they would block in JVM detach and hang it.
                CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
                    c.realm_release(user);
                    c.realm_release(app);
                }, WAITS);
                await(released, "sync client shutdown");
            }
        } finally {
            realmThread.shutdown();
        }
    }
}
