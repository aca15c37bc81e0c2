package dev.thimble.runtime.data;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.backend.KeyValue;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unique indexes' key type ({@link IndexKeyType}, decision 0043) finds exactly what the library's
 * {@link ObjectDataType} finds, in the same order, and the maps it is used for are the library's own: the
 * {@code _id} and unique indexes keep every document, survive a reopen and still refuse duplicates.
 */
class IndexKeyTypeTest {

    @TempDir
    Path temp;

    @Test
    void aLookupFindsWhatTheLibrarysTypeFindsForKeysOfEveryKind() {
        Random random = new Random(61);
        ObjectDataType library = new ObjectDataType();
        IndexKeyType ours = new IndexKeyType();
        for (int round = 0; round < 200; round++) {
            Object[] keys = new Object[1 + random.nextInt(60)];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = randomKey(random);
            }
            Arrays.sort(keys, library::compare);
            for (int probe = 0; probe < 30; probe++) {
                Object key = probe % 3 == 0 ? keys[random.nextInt(keys.length)] : randomKey(random);
                int guess = random.nextInt(keys.length + 2);
                assertThat(ours.binarySearch(key, keys, keys.length, guess))
                        .as("position of %s", key).isEqualTo(library.binarySearch(key, keys, keys.length, guess));
            }
        }
    }

    private static Object randomKey(Random random) {
        Object value = switch (random.nextInt(6)) {
            case 0 -> "s" + random.nextInt(200);
            case 1 -> random.nextInt(200) - 100;
            case 2 -> (long) random.nextInt(1_000);
            case 3 -> random.nextDouble();
            case 4 -> new de.bwaldvogel.mongo.bson.ObjectId();
            default -> null;
        };
        return random.nextInt(8) == 0 ? new KeyValue(value, "second " + random.nextInt(3)) : new KeyValue(value);
    }

    @Test
    void theIdAndUniqueIndexesAreTheLibrarysMapsAndKeepWorkingAcrossAReopen() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> users = database.database("app").getCollection("users");
            users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                documents.add(new Document("_id", i % 2 == 0 ? (Object) i : (Object) ("u" + i)).append("email", "e" + i + "@x"));
            }
            users.insertMany(documents);
        }
        MVStore raw = new MVStore.Builder().fileName(temp.resolve("db.mv").toString()).readOnly().open();
        try {
            List<String> indexMaps = raw.getMapNames().stream().filter(name -> name.startsWith("app.users._index_")).toList();
            assertThat(indexMaps).hasSize(2);
            for (String name : indexMaps) {
                assertThat(raw.openMap(name).size()).as("entries of %s", name).isEqualTo(500);
            }
        } finally {
            raw.close();
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> users = reopened.database("app").getCollection("users");
            for (int i = 0; i < 500; i += 7) {
                Object id = i % 2 == 0 ? (Object) i : (Object) ("u" + i);
                assertThat(users.find(Filters.eq("_id", id)).first()).as("document %s", id).isNotNull()
                        .extracting(d -> d.get("email")).isEqualTo("e" + i + "@x");
            }
            assertThatThrownBy(() -> users.insertOne(new Document("_id", 4).append("email", "new@x")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            assertThatThrownBy(() -> users.insertOne(new Document("_id", "fresh").append("email", "e5@x")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            users.insertOne(new Document("_id", "fresh").append("email", "fresh@x"));
            assertThat(users.countDocuments()).isEqualTo(501);
        }
    }
}
