package dev.thimble.runtime.security;

import dev.thimble.runtime.security.ServedBundle.Answer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's {@code findItem} path, end to end over HTTP: a function awaiting
 * {@code context.services.get('mongodb-atlas')…findOne({_id})} as the calling user. What a user relies on while
 * that path is made faster (decision record 0059): the collection's rules apply (the owner filter and role: another
 * user's document is {@code null}), field-level permissions strip a hidden field, and the answer's EJSON types are
 * the stored ones (ObjectId, Date, Decimal128, Long, Int32, Double, string, boolean, nested document and array),
 * exactly as the SDK's own {@code findOne} answers them.
 */
class FunctionDatabaseCallTest {
    @TempDir
    static Path temp;
    static ServedBundle app;
    static String owner;
    static String ownerId;
    static String stranger;

    static final String RULE = """
            {"database": "shop", "collection": "items",
             "roles": [{"name": "owner", "apply_when": {"owner_id": "%%user.id"},
                        "fields": {"cost": {"read": false, "write": false}}, "additional_fields": {"read": true, "write": true},
                        "insert": true, "delete": true, "search": true}],
             "filters": [{"name": "mine", "apply_when": {"%%true": true}, "query": {"owner_id": "%%user.id"}, "projection": {}}]}""";

    static final ObjectId MINE = new ObjectId();
    static final ObjectId THEIRS = new ObjectId();

    @BeforeAll
    static void serve() {
        app = ServedBundle.serve(ServedBundle.bundle("shop-thmbl")
                .file("services/mongodb-atlas/rules/shop.items.json", RULE)
                .function("findItem", "{\"name\": \"findItem\", \"private\": false}", """
                        exports = async function(id) {
                          return context.services.get('mongodb-atlas').db('shop').collection('items').findOne({ _id: id });
                        };"""), temp);
        owner = app.anonymous();
        ownerId = app.userId(owner);
        stranger = app.anonymous();
        var items = app.host.database().database("shop").getCollection("items");
        items.insertOne(new Document("_id", MINE).append("owner_id", ownerId).append("text", "mine")
                .append("created", new Date(1_700_000_000_123L)).append("price", Decimal128.parse("19.99"))
                .append("count", 9_007_199_254_740_993L).append("small", 7).append("ratio", 0.5).append("done", true)
                .append("cost", 3).append("tags", java.util.List.of("a", 2)).append("nested", new Document("at", new Date(0)).append("ref", THEIRS)));
        items.insertOne(new Document("_id", THEIRS).append("owner_id", "someone-else").append("text", "theirs"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String oid(ObjectId id) {
        return "[{\"$oid\": \"" + id.toHexString() + "\"}]";
    }

    @Test
    void theFunctionAnswersTheOwnersDocumentWithItsTypesAndWithoutTheHiddenField() {
        Answer answer = app.function(owner, "findItem", oid(MINE));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        BsonDocument expected = BsonDocument.parse("""
                {"_id": {"$oid": "%s"}, "owner_id": "%s", "text": "mine",
                 "created": {"$date": {"$numberLong": "1700000000123"}}, "price": {"$numberDecimal": "19.99"},
                 "count": {"$numberLong": "9007199254740993"}, "small": {"$numberInt": "7"}, "ratio": {"$numberDouble": "0.5"},
                 "done": true, "tags": ["a", {"$numberInt": "2"}],
                 "nested": {"at": {"$date": {"$numberLong": "0"}}, "ref": {"$oid": "%s"}}}
                """.formatted(MINE.toHexString(), ownerId, THEIRS.toHexString()));
        assertThat(BsonDocument.parse(answer.body())).as("the answer in canonical EJSON: %s", answer.body()).isEqualTo(expected);
    }

    @Test
    void theFunctionsAnswerIsTheSdksAnswer() {
        Answer viaFunction = app.function(owner, "findItem", oid(MINE));
        Answer viaSdk = app.action(owner, "findOne", "{\"database\": \"shop\", \"collection\": \"items\", \"query\": {\"_id\": {\"$oid\": \""
                + MINE.toHexString() + "\"}}}");
        assertThat(viaSdk.status()).as(viaSdk.body()).isEqualTo(200);
        assertThat(BsonDocument.parse(viaFunction.body())).isEqualTo(BsonDocument.parse(viaSdk.body()));
    }

    @Test
    void anotherUsersDocumentIsNullOnTheFunctionPath() {
        Answer theirs = app.function(owner, "findItem", oid(THEIRS));
        assertThat(theirs.status()).as(theirs.body()).isEqualTo(200);
        assertThat(theirs.body().trim()).isEqualTo("null");
        Answer notMine = app.function(stranger, "findItem", oid(MINE));
        assertThat(notMine.body().trim()).as("the owner's document to another user").isEqualTo("null");
    }
}
