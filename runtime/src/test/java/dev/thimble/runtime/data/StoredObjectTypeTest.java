package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents' and index maps' type ({@link StoredObjectType}, decision 0053) writes exactly the library's bytes
 * whether it serialises or reuses a remembered serialisation, reads what either wrote, and a data file written through
 * inserts, updates, deletes and housekeeping holds what the library's own type reads back as the current documents.
 */
class StoredObjectTypeTest {

    @TempDir
    Path temp;

    @Test
    void writesTheLibrarysBytesAtTheFirstAndEveryLaterWriteAndReadsThemBack() {
        ObjectDataType library = new ObjectDataType();
        StoredObjectType ours = new StoredObjectType();
        List<Object> values = List.of(
                new de.bwaldvogel.mongo.bson.Document("_id", new ObjectId()).append("text", "héllo").append("n", 42)
                        .append("nested", new de.bwaldvogel.mongo.bson.Document("a", List.of(1, "two", 3.0))),
                new KeyValue(new ObjectId()), new KeyValue("a", 7L), new ObjectId(), new ObjectId(new byte[12]),
                "plain string", 12345L, 3.5);
        for (Object value : values) {
            byte[] expected = bytes(library, value);
            assertThat(bytes(ours, value)).as("first write of %s", value).isEqualTo(expected);
            assertThat(bytes(ours, value)).as("second write of %s", value).isEqualTo(expected);
            assertThat(ours.read(ByteBuffer.wrap(expected))).as("ours reading %s", value).isEqualTo(value);
            assertThat(library.read(ByteBuffer.wrap(bytes(ours, value)))).as("library reading %s", value).isEqualTo(value);
        }
    }

    @Test
    void aStoredDocumentIsSerialisedOnceAndItsReadBytesAreReused() {
        StoredObjectType ours = new StoredObjectType();
        de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document("_id", 1).append("v", "first");
        byte[] first = bytes(ours, document);
        document.put("v", "changed in place"); // the library never does this; here it shows the first bytes are reused
        assertThat(bytes(ours, document)).isEqualTo(first);

        Object read = ours.read(ByteBuffer.wrap(bytes(new ObjectDataType(), new de.bwaldvogel.mongo.bson.Document("_id", 2))));
        ((de.bwaldvogel.mongo.bson.Document) read).put("v", "changed in place");
        assertThat(new ObjectDataType().read(ByteBuffer.wrap(bytes(ours, read))))
                .as("a document read is written as the bytes it was read from").isEqualTo(new de.bwaldvogel.mongo.bson.Document("_id", 2));
    }

    @Test
    void theRememberedFormsStayBounded() {
        SerialisedForms forms = new SerialisedForms();
        List<Object> alive = new ArrayList<>();
        for (int i = 0; i < SerialisedForms.MAX_ENTRIES + 100; i++) {
            Object o = new Object();
            alive.add(o);
            forms.put(o, new byte[] {(byte) i});
        }
        assertThat(forms.size()).isLessThanOrEqualTo(SerialisedForms.MAX_ENTRIES);
        Object last = alive.getLast();
        assertThat(forms.get(last)).containsExactly((byte) (SerialisedForms.MAX_ENTRIES + 99));
        assertThat(forms.get(new Object())).as("identity, not equality").isNull();

        SerialisedForms large = new SerialisedForms();
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 2 * SerialisedForms.MAX_BYTES / SerialisedForms.MAX_FORM_BYTES; i++) {
            Object o = new Object();
            held.add(o);
            large.put(o, new byte[SerialisedForms.MAX_FORM_BYTES]);
        }
        assertThat(large.bytes()).isLessThanOrEqualTo(SerialisedForms.MAX_BYTES);
        Object huge = new Object();
        large.put(huge, new byte[SerialisedForms.MAX_FORM_BYTES + 1]);
        assertThat(large.get(huge)).as("too large to keep").isNull();
    }

    @Test
    void theDataFileHoldsTheCurrentDocumentsForTheLibrarysOwnType() {
        Map<Object, String> expected = new HashMap<>();
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.database("app").getCollection("items");
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(new Document("_id", i).append("v", "v" + i).append("pad", "x".repeat(200)));
                expected.put(i, "v" + i);
            }
            items.insertMany(batch);
            for (int round = 0; round < 3; round++) { // updates rewrite pages whose other documents were remembered
                for (int i = round; i < 300; i += 3) {
                    items.updateOne(Filters.eq("_id", i), Updates.set("v", "u" + round + "-" + i));
                    expected.put(i, "u" + round + "-" + i);
                }
                for (int i = 0; i < 20; i++) {
                    org.bson.types.ObjectId id = new org.bson.types.ObjectId();
                    items.insertOne(new Document("_id", id).append("v", "o" + round + i));
                    expected.put(new ObjectId(id.toByteArray()), "o" + round + i);
                }
            }
            for (int i = 0; i < 300; i += 10) {
                items.deleteOne(Filters.eq("_id", i));
                expected.remove(i);
            }
        }
        MVStore raw = new MVStore.Builder().fileName(temp.resolve("db.mv").toString()).readOnly().open();
        try {
            MVMap<Object, Object> data = raw.openMap("databases.app.items"); // the library's ObjectDataType
            Map<Object, String> stored = new HashMap<>();
            data.forEach((id, document) -> stored.put(id, (String) ((de.bwaldvogel.mongo.bson.Document) document).get("v")));
            assertThat(stored).isEqualTo(expected);
            assertThat(raw.openMap("app.items._index__id_").size()).isEqualTo(expected.size());
        } finally {
            raw.close();
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = reopened.database("app").getCollection("items");
            assertThat(items.countDocuments()).isEqualTo(expected.size());
            assertThat(items.find(Filters.eq("_id", 4)).first()).extracting(d -> d.get("v")).isEqualTo(expected.get(4));
        }
    }

    private static byte[] bytes(ObjectDataType type, Object value) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, value);
        ByteBuffer written = buffer.getBuffer().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }
}
