package dev.thimble.runtime.sync;

import org.bson.BsonValue;

/**
 * The changeset instructions this slice understands (realm-core {@code instructions.hpp}); anything
 * else is parsed only far enough to be named in the refusal. Primary keys and values are BSON values:
 * null, int64, bool, string, double, date (from Realm timestamps), ObjectId and UUID (binary subtype 4).
 */
sealed interface Instruction {
    /** Wire numbers of the instruction types, in realm-core's order. */
    int ADD_TABLE = 0, ERASE_TABLE = 1, CREATE_OBJECT = 2, ERASE_OBJECT = 3, UPDATE = 4, ADD_INTEGER = 5,
            ADD_COLUMN = 6, ERASE_COLUMN = 7, ARRAY_INSERT = 8, ARRAY_MOVE = 9, ARRAY_ERASE = 10, CLEAR = 11,
            SET_INSERT = 12, SET_ERASE = 13;
    String[] NAMES = {"AddTable", "EraseTable", "CreateObject", "EraseObject", "Update", "AddInteger", "AddColumn",
            "EraseColumn", "ArrayInsert", "ArrayMove", "ArrayErase", "Clear", "SetInsert", "SetErase"};

    String table();

    record AddTable(String table, String pkField, int pkType, boolean pkNullable, boolean embedded) implements Instruction {
    }

    record AddColumn(String table, String field, int type, boolean nullable, int collectionType) implements Instruction {
    }

    record CreateObject(String table, BsonValue pk) implements Instruction {
    }

    record EraseObject(String table, BsonValue pk) implements Instruction {
    }

    /** A field set on a top-level object ({@code path} empty); {@code isDefault} marks a default value of a new object. */
    record Update(String table, BsonValue pk, String field, BsonValue value, boolean isDefault) implements Instruction {
    }

    /**
     * An edit of a collection field of a top-level object: a list ({@code ArrayInsert}, {@code ArrayMove},
     * {@code ArrayErase}, {@code Update} of an element), a set ({@code SetInsert}, {@code SetErase}) or a
     * dictionary ({@code Update} of a key, with {@link Changesets#ERASED} for an erase), or {@code Clear}
     * of any of them. {@code index} is the list index (or -1), {@code key} the dictionary key (or null),
     * {@code to} the target index of a move. For embedded objects: an {@code Update} of a single
     * embedded object's sub-field has the sub-field in {@code key} (the wire cannot tell it from a
     * dictionary key; the schema does), and {@code sub} names the sub-field of a list element
     * ({@code index}) or dictionary value ({@code key}) that is an embedded object. Inside a single
     * embedded object (decision record "sync moves"), {@code key} names the sub-field, {@code index} an
     * element of a list sub-field ({@code [key, index]}), and {@code sub} a dictionary sub-field's key or a
     * nested embedded object's sub-field ({@code [key, sub]}).
     */
    record CollectionEdit(String table, BsonValue pk, String field, int type, long index, String key, BsonValue value,
                          long to, long priorSize, String sub) implements Instruction {
        CollectionEdit(String table, BsonValue pk, String field, int type, long index, String key, BsonValue value,
                       long to, long priorSize) {
            this(table, pk, field, type, index, key, value, to, priorSize, null);
        }

        boolean clear() {
            return type == CLEAR;
        }
    }

    /** A counter's increment ({@code AddInteger}) of a top-level integer field: merged by adding (decision record "sync types"). */
    record AddInteger(String table, BsonValue pk, String field, long delta) implements Instruction {
    }

    /** An instruction this slice does not apply (lists, sets, dictionaries, embedded paths, counters, schema removal). */
    record Unsupported(String table, String name, String field) implements Instruction {
    }
}
