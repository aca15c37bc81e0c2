package dev.thimble.runtime.sync.realmc;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/** The collection edits a Realm app makes, for {@link RealmSyncClient#edit}; each fails loudly if core refuses it. */
public final class CollectionWrites {
    private CollectionWrites() {
    }

    public static RealmSyncClient.CollectionWrite listInsert(long index, Object value) {
        return (c, object, property, values) -> onList(c, object, property, "insert",
                list -> c.realm_list_insert(list, index, values.of(value)));
    }

    public static RealmSyncClient.CollectionWrite listSet(long index, Object value) {
        return (c, object, property, values) -> onList(c, object, property, "set",
                list -> c.realm_list_set(list, index, values.of(value)));
    }

    public static RealmSyncClient.CollectionWrite listErase(long index) {
        return (c, object, property, values) -> onList(c, object, property, "erase", list -> c.realm_list_erase(list, index));
    }

    public static RealmSyncClient.CollectionWrite listMove(long from, long to) {
        return (c, object, property, values) -> onList(c, object, property, "move", list -> c.realm_list_move(list, from, to));
    }

    /** Makes a mixed property hold a list of the given values (a collection inside a mixed, realm-core 14's nested collections). */
    public static RealmSyncClient.CollectionWrite mixedList(Object... items) {
        return (c, object, property, values) -> {
            Pointer list = c.realm_set_list(object, property);
            require(list != null, "set a list in a mixed");
            for (int i = 0; i < items.length; i++) {
                require(c.realm_list_insert(list, i, values.of(items[i])), "insert into the list in a mixed");
            }
            c.realm_release(list);
        };
    }

    public static RealmSyncClient.CollectionWrite listClear() {
        return (c, object, property, values) -> onList(c, object, property, "clear", c::realm_list_clear);
    }

    public static RealmSyncClient.CollectionWrite setInsert(Object value) {
        return (c, object, property, values) -> {
            Pointer set = c.realm_get_set(object, property);
            require(set != null && c.realm_set_insert(set, values.of(value), new LongByReference(), new byte[1]), "set insert");
            c.realm_release(set);
        };
    }

    public static RealmSyncClient.CollectionWrite setErase(Object value) {
        return (c, object, property, values) -> {
            Pointer set = c.realm_get_set(object, property);
            require(set != null && c.realm_set_erase(set, values.of(value), new byte[1]), "set erase");
            c.realm_release(set);
        };
    }

    public static RealmSyncClient.CollectionWrite dictionaryPut(String key, Object value) {
        return (c, object, property, values) -> {
            Pointer dictionary = c.realm_get_dictionary(object, property);
            require(dictionary != null && c.realm_dictionary_insert(dictionary, values.of(key),
                    values.of(value), new LongByReference(), new byte[1]), "dictionary insert");
            c.realm_release(dictionary);
        };
    }

    public static RealmSyncClient.CollectionWrite dictionaryErase(String key) {
        return (c, object, property, values) -> {
            Pointer dictionary = c.realm_get_dictionary(object, property);
            require(dictionary != null && c.realm_dictionary_erase(dictionary, values.of(key), new byte[1]), "dictionary erase");
            c.realm_release(dictionary);
        };
    }

    private interface ListCall {
        boolean call(Pointer list);
    }

    private static void onList(RealmC c, Pointer object, long property, String what, ListCall call) {
        Pointer list = c.realm_get_list(object, property);
        require(list != null && call.call(list), "list " + what);
        c.realm_release(list);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed in the Realm client");
        }
    }
}
