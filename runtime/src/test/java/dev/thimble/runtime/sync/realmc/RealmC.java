package dev.thimble.runtime.sync.realmc;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of realm-core's C API ({@code realm.h}, core 14.12.0 as shipped in the Kotlin SDK's
 * {@code cinterop-jvm} artifact) the sync tests use, mapped for JNA. Struct layouts follow the header
 * on x86-64 Linux; only the functions the harness calls are declared.
 */
public interface RealmC extends Library {

    /** Where the build unpacks {@code librealmc.so} (runtime/pom.xml, execution realm-core-for-sync-tests). */
    /** Where Maven unpacked realm-core's C library (the bench module runs from the repository root and says where). */
    Path LIBRARY = Path.of(System.getProperty("thimble.realmc.library", "target/realm-core/jni/linux/librealmc.so"));

    /** Loads the library once; fails with a message that says how to get it. */
    static RealmC load() {
        Path library = LIBRARY.toAbsolutePath();
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("The Realm sync client library is missing at " + library
                    + "; run the tests through Maven (process-test-classes unpacks it from io.realm.kotlin:cinterop-jvm).");
        }
        return Holder.INSTANCE.get(library);
    }

    final class Holder {
        static final Holder INSTANCE = new Holder();
        private RealmC loaded;

        synchronized RealmC get(Path library) {
            if (loaded == null) {
                loaded = Native.load(library.toString(), RealmC.class);
            }
            return loaded;
        }
    }

    int RLM_TYPE_LINK = 10, RLM_PROPERTY_TYPE_OBJECT = 12;
    int RLM_TYPE_NULL = 0, RLM_TYPE_INT = 1, RLM_TYPE_BOOL = 2, RLM_TYPE_STRING = 3, RLM_TYPE_TIMESTAMP = 5,
            RLM_TYPE_DOUBLE = 7, RLM_TYPE_OBJECT_ID = 9, RLM_TYPE_UUID = 11;
    int RLM_PROPERTY_TYPE_INT = 0, RLM_PROPERTY_TYPE_BOOL = 1, RLM_PROPERTY_TYPE_STRING = 2,
            RLM_PROPERTY_TYPE_TIMESTAMP = 8, RLM_PROPERTY_TYPE_DOUBLE = 10, RLM_PROPERTY_TYPE_OBJECT_ID = 15,
            RLM_PROPERTY_TYPE_UUID = 17;
    int RLM_TYPE_BINARY = 4, RLM_TYPE_FLOAT = 6, RLM_TYPE_DECIMAL128 = 8;
    int RLM_PROPERTY_TYPE_BINARY = 4, RLM_PROPERTY_TYPE_FLOAT = 9, RLM_PROPERTY_TYPE_DECIMAL128 = 11;
    /** A {@code mixed} property (any scalar, or null; always nullable). */
    int RLM_PROPERTY_TYPE_MIXED = 6;
    /** {@code realm_class_flags_e}: an embedded class (no primary key, owned by its parent's field). */
    int RLM_CLASS_EMBEDDED = 1;
    int RLM_PROPERTY_NORMAL = 0, RLM_PROPERTY_NULLABLE = 1, RLM_PROPERTY_PRIMARY_KEY = 2, RLM_PROPERTY_INDEXED = 4;
    int RLM_SCHEMA_MODE_ADDITIVE_EXPLICIT = 6;
    int RLM_SYNC_SESSION_STOP_POLICY_IMMEDIATELY = 0;
    int RLM_SYNC_CLIENT_RECONNECT_MODE_TESTING = 1;
    int RLM_SYNC_SUBSCRIPTION_PENDING = 1, RLM_SYNC_SUBSCRIPTION_COMPLETE = 3, RLM_SYNC_SUBSCRIPTION_ERROR = 4;
    int RLM_LOG_LEVEL_DEBUG = 2, RLM_LOG_LEVEL_DETAIL = 3, RLM_LOG_LEVEL_INFO = 4, RLM_LOG_LEVEL_WARNING = 5;

    // ---- values -------------------------------------------------------------------------------

    /** {@code realm_value_t}: a 16-byte union and the type tag, 24 bytes in all. */
    @Structure.FieldOrder({"w0", "w1", "type"})
    class RealmValue extends Structure {
        public long w0;
        public long w1;
        public int type;

        public RealmValue() {
        }

        public RealmValue(Pointer p) {
            super(p);
            read();
        }

        public static class ByValue extends RealmValue implements Structure.ByValue {
        }
    }

    /** {@code realm_property_info_t}. */
    @Structure.FieldOrder({"name", "public_name", "type", "collection_type", "link_target", "link_origin_property_name", "key", "flags"})
    class PropertyInfo extends Structure {
        public String name;
        public String public_name = "";
        public int type;
        public int collection_type;
        public String link_target = "";
        public String link_origin_property_name = "";
        public long key;
        public int flags;
    }

    /** {@code realm_class_info_t}. */
    @Structure.FieldOrder({"name", "primary_key", "num_properties", "num_computed_properties", "key", "flags"})
    class ClassInfo extends Structure {
        public String name;
        public String primary_key;
        public long num_properties;
        public long num_computed_properties;
        public int key;
        public int flags;
    }

    // ---- HTTP transport -----------------------------------------------------------------------

    @Structure.FieldOrder({"name", "value"})
    class HttpHeader extends Structure {
        public Pointer name;
        public Pointer value;

        public HttpHeader() {
        }

        public HttpHeader(Pointer p) {
            super(p);
            read();
        }
    }

    /** {@code realm_http_request_t}, which core passes by value. */
    @Structure.FieldOrder({"method", "url", "timeout_ms", "headers", "num_headers", "body", "body_size"})
    class HttpRequest extends Structure implements Structure.ByValue {
        public int method;
        public Pointer url;
        public long timeout_ms;
        public Pointer headers;
        public long num_headers;
        public Pointer body;
        public long body_size;
    }

    @Structure.FieldOrder({"status_code", "custom_status_code", "headers", "num_headers", "body", "body_size"})
    class HttpResponse extends Structure {
        public int status_code;
        public int custom_status_code;
        public Pointer headers;
        public long num_headers;
        public Pointer body;
        public long body_size;
    }

    interface HttpRequestFunc extends Callback {
        void invoke(Pointer userdata, HttpRequest request, Pointer requestContext);
    }

    interface FreeFunc extends Callback {
        void invoke(Pointer userdata);
    }

    Pointer realm_http_transport_new(HttpRequestFunc func, Pointer userdata, FreeFunc free);

    void realm_http_transport_complete_request(Pointer requestContext, HttpResponse response);

    // ---- app and user -------------------------------------------------------------------------

    interface UserCompletionFunc extends Callback {
        void invoke(Pointer userdata, Pointer user, Pointer error);
    }

    Pointer realm_app_config_new(String appId, Pointer httpTransport);

    void realm_app_config_set_base_url(Pointer appConfig, String baseUrl);

    void realm_app_config_set_base_file_path(Pointer appConfig, String path);

    void realm_app_config_set_platform_version(Pointer appConfig, String value);

    void realm_app_config_set_sdk_version(Pointer appConfig, String value);

    void realm_app_config_set_sdk(Pointer appConfig, String value);

    void realm_app_config_set_framework_name(Pointer appConfig, String value);

    void realm_app_config_set_framework_version(Pointer appConfig, String value);

    /** 0 = plaintext metadata (core's default asks for an encryption key). */
    void realm_app_config_set_metadata_mode(Pointer appConfig, int mode);

    Pointer realm_app_config_get_sync_client_config(Pointer appConfig);

    void realm_sync_client_config_set_reconnect_mode(Pointer syncClientConfig, int mode);

    void realm_sync_client_config_set_connect_timeout(Pointer syncClientConfig, long millis);

    Pointer realm_app_create(Pointer appConfig);

    void realm_app_sync_client_wait_for_sessions_to_terminate(Pointer app);

    Pointer realm_app_credentials_new_anonymous(boolean reuseCredentials);

    boolean realm_app_log_in_with_credentials(Pointer app, Pointer credentials, UserCompletionFunc callback,
                                              Pointer userdata, FreeFunc free);

    Pointer realm_user_get_identity(Pointer user);

    // ---- realm --------------------------------------------------------------------------------

    void realm_set_log_level(int level);

    Pointer realm_schema_new(ClassInfo classes, long numClasses, Pointer classProperties);

    Pointer realm_config_new();

    void realm_config_set_path(Pointer config, String path);

    void realm_config_set_schema(Pointer config, Pointer schema);

    void realm_config_set_schema_version(Pointer config, long version);

    void realm_config_set_schema_mode(Pointer config, int mode);

    void realm_config_set_sync_config(Pointer config, Pointer syncConfig);

    void realm_config_set_scheduler(Pointer config, Pointer scheduler);

    /** Core 14 hands the work to run as a work queue, to be passed to {@link #realm_scheduler_perform_work} on the scheduler's thread. */
    interface SchedulerNotify extends Callback {
        void invoke(Pointer userdata, Pointer workQueue);
    }

    interface SchedulerIsOnThread extends Callback {
        boolean invoke(Pointer userdata);
    }

    interface SchedulerIsSameAs extends Callback {
        boolean invoke(Pointer userdata1, Pointer userdata2);
    }

    /** Core has no scheduler of its own on Linux: the harness supplies one that runs work on the client's thread. */
    Pointer realm_scheduler_new(Pointer userdata, FreeFunc free, SchedulerNotify notify, SchedulerIsOnThread isOnThread,
                                SchedulerIsSameAs isSameAs, SchedulerIsOnThread canDeliverNotifications);

    void realm_scheduler_perform_work(Pointer workQueue);

    /** A scheduler without notifications or thread checks: the harness confines each realm to one thread itself. */
    Pointer realm_scheduler_get_frozen();

    Pointer realm_open(Pointer config);

    boolean realm_close(Pointer realm);

    /** Core 14 reports whether the view advanced through {@code didRefresh} (a {@code bool*}, never null here). */
    boolean realm_refresh(Pointer realm, byte[] didRefresh);

    boolean realm_begin_write(Pointer realm);

    boolean realm_commit(Pointer realm);

    boolean realm_find_class(Pointer realm, String name, byte[] outFound, ClassInfo outInfo);

    boolean realm_find_property(Pointer realm, int classKey, String name, byte[] outFound, PropertyInfo outInfo);

    Pointer realm_object_create_with_primary_key(Pointer realm, int classKey, RealmValue.ByValue pk);

    Pointer realm_object_find_with_primary_key(Pointer realm, int classKey, RealmValue.ByValue pk, byte[] outFound);

    boolean realm_object_delete(Pointer object);

    boolean realm_get_value(Pointer object, long propertyKey, RealmValue outValue);

    boolean realm_set_value(Pointer object, long propertyKey, RealmValue.ByValue value, boolean isDefault);

    boolean realm_get_num_objects(Pointer realm, int classKey, LongByReference outCount);

    void realm_release(Pointer ptr);

    // ---- collections (lists, sets, dictionaries of scalars) -------------------------------------

    int RLM_COLLECTION_TYPE_NONE = 0, RLM_COLLECTION_TYPE_LIST = 1, RLM_COLLECTION_TYPE_SET = 2, RLM_COLLECTION_TYPE_DICTIONARY = 4;

    Pointer realm_get_list(Pointer object, long propertyKey);

    /** Makes a mixed property hold a new, empty list (a collection inside a mixed) and returns it. */
    Pointer realm_set_list(Pointer object, long propertyKey);

    long realm_object_get_key(Pointer object);

    boolean realm_get_class(Pointer realm, int key, ClassInfo out);

    /** Adds to an integer property (a counter): realm-core records an AddInteger instruction. */
    boolean realm_object_add_int(Pointer object, long propertyKey, long value);

    Pointer realm_get_object(Pointer realm, int classKey, long objectKey);

    boolean realm_list_size(Pointer list, LongByReference outSize);

    boolean realm_list_get(Pointer list, long index, RealmValue outValue);

    boolean realm_list_insert(Pointer list, long index, RealmValue.ByValue value);

    boolean realm_list_set(Pointer list, long index, RealmValue.ByValue value);

    boolean realm_list_erase(Pointer list, long index);

    boolean realm_list_move(Pointer list, long from, long to);

    boolean realm_list_clear(Pointer list);

    Pointer realm_get_set(Pointer object, long propertyKey);

    boolean realm_set_size(Pointer set, LongByReference outSize);

    boolean realm_set_get(Pointer set, long index, RealmValue outValue);

    boolean realm_set_insert(Pointer set, RealmValue.ByValue value, LongByReference outIndex, byte[] outInserted);

    boolean realm_set_erase(Pointer set, RealmValue.ByValue value, byte[] outErased);

    Pointer realm_get_dictionary(Pointer object, long propertyKey);

    boolean realm_dictionary_size(Pointer dictionary, LongByReference outSize);

    // ---- embedded objects ----------------------------------------------------------------------

    /** Creates an embedded object in a to-one property (replacing any there) and returns it. */
    Pointer realm_set_embedded(Pointer object, long propertyKey);

    /** The object a to-one property links to (an embedded object), or null if none. */
    Pointer realm_get_linked_object(Pointer object, long propertyKey);

    Pointer realm_list_insert_embedded(Pointer list, long index);

    Pointer realm_list_get_linked_object(Pointer list, long index);

    /** Puts a new embedded object at an existing index of a list (replacing the element there) and returns it. */
    Pointer realm_list_set_embedded(Pointer list, long index);

    Pointer realm_dictionary_insert_embedded(Pointer dictionary, RealmValue.ByValue key);

    Pointer realm_dictionary_get_linked_object(Pointer dictionary, RealmValue.ByValue key);

    boolean realm_dictionary_get(Pointer dictionary, long index, RealmValue outKey, RealmValue outValue);

    boolean realm_dictionary_insert(Pointer dictionary, RealmValue.ByValue key, RealmValue.ByValue value, LongByReference outIndex,
                                    byte[] outInserted);

    boolean realm_dictionary_erase(Pointer dictionary, RealmValue.ByValue key, byte[] outErased);

    Pointer realm_clone(Pointer ptr);

    boolean realm_get_last_error(RealmError outError);

    boolean realm_clear_last_error();

    /** {@code realm_error_t}. */
    @Structure.FieldOrder({"error", "categories", "message", "usercode_error", "path"})
    class RealmError extends Structure {
        public int error;
        public int categories;
        public String message;
        public Pointer usercode_error;
        public Pointer path;
    }

    // ---- sync ---------------------------------------------------------------------------------

    /** The leading part of {@code realm_sync_error_t} (passed by value; only its status is read). */
    @Structure.FieldOrder({"error", "categories", "message", "usercodeError", "originalFilePathKey", "recoveryFilePathKey"})
    class SyncError extends Structure implements Structure.ByValue {
        public int error;
        public int categories;
        public Pointer message;
        public Pointer usercodeError;
        public Pointer originalFilePathKey;
        public Pointer recoveryFilePathKey;
    }

    interface SyncErrorHandler extends Callback {
        void invoke(Pointer userdata, Pointer session, SyncError error);
    }

    /** Upload/download completion: the error pointer is null on success. */
    interface SyncWaitFunc extends Callback {
        void invoke(Pointer userdata, Pointer errorCode);
    }

    Pointer realm_flx_sync_config_new(Pointer user);

    void realm_sync_config_set_session_stop_policy(Pointer syncConfig, int policy);

    void realm_sync_config_set_error_handler(Pointer syncConfig, SyncErrorHandler handler, Pointer userdata, FreeFunc free);

    Pointer realm_sync_session_get(Pointer realm);

    void realm_sync_session_pause(Pointer session);

    /** Cancels the sync client's reconnect delays: sessions waiting to reconnect try now. */
    void realm_app_sync_client_reconnect(Pointer app);

    void realm_sync_session_resume(Pointer session);

    void realm_sync_session_wait_for_upload_completion(Pointer session, SyncWaitFunc done, Pointer userdata, FreeFunc free);

    void realm_sync_session_wait_for_download_completion(Pointer session, SyncWaitFunc done, Pointer userdata, FreeFunc free);

    Pointer realm_sync_get_latest_subscription_set(Pointer realm);

    Pointer realm_sync_make_subscription_set_mutable(Pointer subscriptionSet);

    Pointer realm_query_parse(Pointer realm, int classKey, String query, long numArgs, Pointer args);

    boolean realm_sync_subscription_set_insert_or_assign_query(Pointer mutableSet, Pointer query, String name,
                                                               LongByReference outIndex, byte[] outInserted);

    Pointer realm_sync_subscription_set_commit(Pointer mutableSet);

    boolean realm_sync_subscription_set_clear(Pointer mutableSet);

    interface SubscriptionStateCallback extends Callback {
        void invoke(Pointer userdata, int state);
    }

    /** The blocking variant is noexcept yet throws when the set ends in an error (terminating the process): use this one. */
    boolean realm_sync_on_subscription_set_state_change_async(Pointer subscriptionSet, int notifyWhen,
                                                             SubscriptionStateCallback callback, Pointer userdata, FreeFunc free);

    Pointer realm_sync_subscription_set_error_str(Pointer subscriptionSet);

    boolean realm_sync_subscription_set_refresh(Pointer subscriptionSet);

    int realm_sync_subscription_set_state(Pointer subscriptionSet);
}
