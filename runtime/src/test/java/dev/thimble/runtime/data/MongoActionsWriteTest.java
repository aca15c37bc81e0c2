package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.rules.Decision;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.data.MongoActionsFixture.ANN;
import static dev.thimble.runtime.data.MongoActionsFixture.ANNS_LIST;
import static dev.thimble.runtime.data.MongoActionsFixture.BOB;
import static dev.thimble.runtime.data.MongoActionsFixture.BOBS_LIST;
import static dev.thimble.runtime.data.MongoActionsFixture.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/** insert*, update*, delete* and findOneAnd* as the owner, as another user and as system; refusals change nothing. */
class MongoActionsWriteTest {
    @TempDir
    static Path directory;
    static MongoActionsFixture f;

    @BeforeAll
    static void open() {
        f = new MongoActionsFixture(directory);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @BeforeEach
    void seed() {
        f.seed();
        f.meddler.set(id -> { });
    }

    private static BsonDocument item(String name) {
        return f.byId("todo", "items", MongoActionsFixture.id(name));
    }

    private static BsonDocument list(ObjectId id) {
        return f.byId("todo", "lists", new BsonObjectId(id));
    }

    /** Runs a request that must be refused, and checks that it changed nothing. */
    private static Failure refusedAndNothingChanged(dev.thimble.runtime.rules.RuleContext ctx, String action, String ns, String args) {
        Map<String, List<BsonDocument>> before = f.snapshot();
        Failure error = f.error(ctx, action, ns, args);
        assertThat(f.snapshot()).isEqualTo(before);
        return error;
    }

    // ---- insert --------------------------------------------------------------------------------

    @Test
    void insertOneWithoutIdGetsAServerGeneratedObjectId() {
        BsonValue result = f.run(ANN, "insertOne", "todo.items", "{document: {owner_id: 'ann', text: 'tea', done: false}}");
        BsonValue id = result.asDocument().get("insertedId");
        assertThat(id.isObjectId()).isTrue();
        BsonDocument stored = f.byId("todo", "items", id);
        assertThat(stored.getFirstKey()).isEqualTo("_id");
        assertThat(stored.getString("text").getValue()).isEqualTo("tea");
    }

    @Test
    void insertOneKeepsTheClientsId() {
        assertThat(f.run(ANN, "insertOne", "todo.items", "{document: {_id: '#mine', owner_id: 'ann', text: 'tea'}}"))
                .isEqualTo(MongoActionsFixture.doc("{insertedId: '#mine'}"));
    }

    @Test
    void insertOneForSomeoneElseIsRefusedBecauseNoRoleApplies() {
        Failure error = refusedAndNothingChanged(BOB, "insertOne", "todo.items", "{document: {_id: '#x', owner_id: 'ann', text: 'spam'}}");
        assertThat(error.status()).isEqualTo(403);
        assertThat(error.code()).isEqualTo("NoMatchingRuleFound");
        assertThat(error.getMessage()).startsWith("insertOne: no role of todo.items applies to document " + MongoActionsFixture.oid("x").toHexString() + " for this user")
                .endsWith("Nothing was written.");
    }

    @Test
    void anInsertThatViolatesTheSchemaIsRefused() {
        Failure error = refusedAndNothingChanged(ANN, "insertOne", "todo.items", "{document: {_id: '#x', owner_id: 'ann', done: 'yes'}}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("SchemaValidationFailedWrite");
        assertThat(error.getMessage()).contains("document " + MongoActionsFixture.oid("x").toHexString() + " does not match the schema of todo.items")
                .contains("done").contains("text");
    }

    @Test
    void insertManyIsAllOrNothing() {
        Failure error = refusedAndNothingChanged(ANN, "insertMany", "todo.items",
                "{documents: [{owner_id: 'ann', text: 'a'}, {owner_id: 'ann', text: 'b'}, {owner_id: 'bob', text: 'c'}]}");
        assertThat(error.getMessage()).contains("no role of todo.items applies");

        BsonValue ok = f.run(ANN, "insertMany", "todo.items", "{documents: [{_id: '#a', owner_id: 'ann', text: 'a'}, {owner_id: 'ann', text: 'b'}]}");
        BsonArray ids = ok.asDocument().getArray("insertedIds");
        assertThat(ids).hasSize(2);
        assertThat(ids.get(0)).isEqualTo(MongoActionsFixture.id("a"));
        assertThat(ids.get(1).isObjectId()).isTrue();
        assertThat(f.all("todo", "items")).hasSize(6);
    }

    @Test
    void insertAsSystemBypassesRulesAndSchema() {
        f.run(SYSTEM, "insertOne", "todo.items", "{document: {_id: '#sys', owner_id: 'nobody', done: 'maybe'}}");
        assertThat(item("sys")).isNotNull();
    }

    @Test
    void aDuplicateKeyIsAConflictWithTheServersMessage() {
        for (var ctx : List.of(ANN, SYSTEM)) {
            Failure error = f.error(ctx, "insertOne", "todo.items", "{document: {_id: '#i1', owner_id: 'ann', text: 'again'}}");
            assertThat(error.status()).isEqualTo(409);
            assertThat(error.code()).isEqualTo("MongoDBError");
            assertThat(error.getMessage()).startsWith("duplicate key");
        }
    }

    // ---- update --------------------------------------------------------------------------------

    @Test
    void updateOneAsTheOwnerChangesTheDocument() {
        assertThat(f.run(ANN, "updateOne", "todo.items", "{query: {_id: '#i1'}, update: {$set: {done: true}}}"))
                .isEqualTo(BsonDocument.parse("{matchedCount: {$numberLong: '1'}, modifiedCount: {$numberLong: '1'}}"));
        assertThat(item("i1").getBoolean("done").getValue()).isTrue();
    }

    @Test
    void updateOneAsAnotherUserMatchesNothingAndChangesNothing() {
        Map<String, List<BsonDocument>> before = f.snapshot();
        assertThat(f.run(BOB, "updateOne", "todo.items", "{query: {_id: '#i1'}, update: {$set: {done: true}}}"))
                .isEqualTo(BsonDocument.parse("{matchedCount: {$numberLong: '0'}, modifiedCount: {$numberLong: '0'}}"));
        assertThat(f.snapshot()).isEqualTo(before);
    }

    @Test
    void updateManyAsSystemUpdatesEverything() {
        BsonDocument result = f.run(SYSTEM, "updateMany", "todo.items", "{query: {}, update: {$set: {done: true}}}").asDocument();
        assertThat(result.getInt64("matchedCount").getValue()).isEqualTo(4);
        assertThat(result.getInt64("modifiedCount").getValue()).isEqualTo(3);
    }

    @Test
    void aSharedUserMayChangeTheTitleOfASharedList() {
        f.run(BOB, "updateOne", "todo.lists", "{query: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {$set: {title: 'Food'}}}");
        assertThat(list(ANNS_LIST).getString("title").getValue()).isEqualTo("Food");
    }

    @Test
    void aWriteTouchingAReadOnlyFieldIsRejectedWholeAndChangesNothing() {
        Failure error = refusedAndNothingChanged(BOB, "updateOne", "todo.lists",
                "{query: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {$set: {title: 'Mine now', owner_id: 'bob'}}}");
        assertThat(error.status()).isEqualTo(403);
        assertThat(error.code()).isEqualTo("NoMatchingRuleFound");
        assertThat(error.getMessage()).isEqualTo("updateOne: role \"sharedWith\" may not write field \"owner_id\" in todo.lists (document "
                + ANNS_LIST + "). Nothing was written.");
    }

    @Test
    void updateManyIsRefusedWholeWhenAnyDocumentIsRefused() {
        // bob owns his list (allowed) but may not write open_items of ann's shared list
        Failure error = refusedAndNothingChanged(BOB, "updateMany", "todo.lists", "{query: {}, update: {$inc: {open_items: 1}}}");
        assertThat(error.getMessage()).contains("may not write field \"open_items\"");
    }

    @Test
    void anUpdateThatBreaksTheSchemaIsRefused() {
        Failure error = refusedAndNothingChanged(ANN, "updateMany", "todo.items", "{query: {}, update: {$set: {done: 'yes'}}}");
        assertThat(error.code()).isEqualTo("SchemaValidationFailedWrite");
        assertThat(error.getMessage()).contains("2 more of the 3 documents of this request were refused too");
    }

    @Test
    void afterImagesUseMongoDbsOwnUpdateSemantics() {
        f.run(ANN, "updateOne", "todo.lists", "{query: {_id: {$oid: '" + ANNS_LIST + "'}},"
                + " update: {$inc: {open_items: 3}, $push: {shared_with: {$each: ['carl', 'dave'], $slice: -2}}}}");
        assertThat(list(ANNS_LIST)).isEqualTo(BsonDocument.parse("{_id: {$oid: '" + ANNS_LIST + "'}, owner_id: 'ann', title: 'Groceries',"
                + " shared_with: ['carl', 'dave'], open_items: 5}"));
        // $rename removes title, which the schema requires: only the after-image shows that
        Failure error = refusedAndNothingChanged(ANN, "updateOne", "todo.lists",
                "{query: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {$rename: {title: 'name'}}}");
        assertThat(error.code()).isEqualTo("SchemaValidationFailedWrite");
        assertThat(error.getMessage()).contains("title");
    }

    @Test
    void aPositionalUpdateAppliesToTheMatchedArrayElement() {
        f.run(SYSTEM, "updateOne", "todo.lists", "{query: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {$push: {shared_with: 'carl'}}}");
        f.run(ANN, "updateOne", "todo.lists", "{query: {_id: {$oid: '" + ANNS_LIST + "'}, shared_with: 'carl'}, update: {$set: {'shared_with.$': 'erin'}}}");
        assertThat(list(ANNS_LIST).getArray("shared_with")).isEqualTo(BsonArray.parse("['bob', 'erin']"));
    }

    @Test
    void anUpsertIsCheckedAsAnInsert() {
        BsonDocument ok = f.run(ANN, "updateOne", "todo.items", "{query: {owner_id: 'ann', text: 'jam'}, update: {$set: {done: false}}, upsert: true}")
                .asDocument();
        assertThat(ok.getInt64("matchedCount").getValue()).isZero();
        BsonDocument inserted = f.byId("todo", "items", ok.get("upsertedId"));
        assertThat(inserted.getString("text").getValue()).isEqualTo("jam");
        assertThat(inserted.getString("owner_id").getValue()).isEqualTo("ann");

        Failure error = refusedAndNothingChanged(BOB, "updateOne", "todo.items",
                "{query: {owner_id: 'ann', text: 'planted'}, update: {$set: {done: false}}, upsert: true}");
        assertThat(error.getMessage()).contains("no role of todo.items applies");

        Failure schema = refusedAndNothingChanged(BOB, "updateOne", "todo.items",
                "{query: {owner_id: 'bob', text: 'x'}, update: {$set: {done: 7}}, upsert: true}");
        assertThat(schema.code()).isEqualTo("SchemaValidationFailedWrite");
    }

    @Test
    void anUpsertedIdIsAnObjectIdOfNowForUsersAndForTheSystem() {
        for (var ctx : List.of(ANN, SYSTEM)) {
            for (String action : List.of("updateOne", "updateMany")) {
                String text = "up-" + action + (ctx == SYSTEM ? "-system" : "");
                BsonDocument result = f.run(ctx, action, "todo.items",
                        "{query: {owner_id: 'ann', text: '" + text + "'}, update: {$set: {done: false}}, upsert: true}").asDocument();
                org.bson.types.ObjectId id = result.getObjectId("upsertedId").getValue();
                assertThat(java.time.Duration.between(id.getDate().toInstant(), java.time.Instant.now()).abs())
                        .as(action + " by " + ctx).isLessThan(java.time.Duration.ofHours(1));
                assertThat(f.byId("todo", "items", result.get("upsertedId")).getString("text").getValue()).isEqualTo(text);
            }
        }
        BsonDocument named = f.run(SYSTEM, "updateOne", "todo.items",
                "{query: {_id: 'mine'}, update: {$set: {owner_id: 'ann', text: 't', done: false}}, upsert: true}").asDocument();
        assertThat(named.get("upsertedId")).isEqualTo(new org.bson.BsonString("mine"));
    }

    @Test
    void anUpdateWithAnUnknownOperatorIsReportedWithTheServersMessage() {
        Failure error = refusedAndNothingChanged(ANN, "updateOne", "todo.items", "{query: {_id: '#i1'}, update: {$frob: {done: true}}}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("MongoDBError");
        assertThat(error.getMessage()).contains("Unknown modifier: $frob");
    }

    @Test
    void pipelineStyleAndOperatorlessUpdatesAreBadRequests() {
        assertThat(f.error(ANN, "updateOne", "todo.items", "{query: {}, update: [{$set: {done: true}}]}").getMessage())
                .contains("pipeline-style updates are not supported");
        assertThat(f.error(SYSTEM, "updateMany", "todo.items", "{query: {}, update: {done: true}}").getMessage())
                .contains("must contain only update operators").contains("\"done\"");
        assertThat(f.error(ANN, "updateOne", "todo.items", "{query: {}}").code()).isEqualTo("MissingParameter");
    }

    // ---- delete --------------------------------------------------------------------------------

    @Test
    void deleteOneAsTheOwnerDeletesOneVisibleDocument() {
        assertThat(f.run(ANN, "deleteOne", "todo.items", "{query: {done: false}}"))
                .isEqualTo(BsonDocument.parse("{deletedCount: {$numberLong: '1'}}"));
        assertThat(f.all("todo", "items")).hasSize(3);
        assertThat(item("i1")).isNull();
        assertThat(f.run(BOB, "deleteOne", "todo.items", "{query: {_id: '#i2'}}"))
                .isEqualTo(BsonDocument.parse("{deletedCount: {$numberLong: '0'}}"));
        assertThat(item("i2")).isNotNull();
        assertThat(f.run(SYSTEM, "deleteOne", "todo.items", "{query: {_id: '#i2'}}"))
                .isEqualTo(BsonDocument.parse("{deletedCount: {$numberLong: '1'}}"));
        assertThat(item("i2")).isNull();
    }

    @Test
    void deleteManyIsRefusedWholeWhenTheRoleMayNotDeleteOneOfTheDocuments() {
        Failure error = refusedAndNothingChanged(BOB, "deleteMany", "todo.lists", "{query: {}}");
        assertThat(error.getMessage()).startsWith("deleteMany: role \"sharedWith\" may not delete from todo.lists");
        assertThat(f.run(BOB, "deleteMany", "todo.lists", "{query: {owner_id: 'bob'}}"))
                .isEqualTo(BsonDocument.parse("{deletedCount: {$numberLong: '1'}}"));
    }

    @Test
    void deleteManyAsSystemDeletesEverythingMatched() {
        assertThat(f.run(SYSTEM, "deleteMany", "todo.items", "{query: {}}"))
                .isEqualTo(BsonDocument.parse("{deletedCount: {$numberLong: '4'}}"));
    }

    // ---- findOneAnd* ---------------------------------------------------------------------------

    @Test
    void findOneAndUpdateReturnsTheOldOrNewDocumentProjected() {
        assertThat(f.run(ANN, "findOneAndUpdate", "todo.items", "{filter: {_id: '#i1'}, update: {$set: {text: 'oat milk'}}, projection: {text: 1}}"))
                .isEqualTo(MongoActionsFixture.doc("{_id: '#i1', text: 'milk'}"));
        assertThat(f.run(ANN, "findOneAndUpdate", "todo.items",
                "{filter: {done: false}, update: {$set: {done: true}}, sort: {text: 1}, returnNewDocument: true, projection: {_id: 0}}"))
                .isEqualTo(BsonDocument.parse("{owner_id: 'ann', text: 'bread', done: true}"));
        assertThat(item("i1").getString("text").getValue()).isEqualTo("oat milk");
    }

    @Test
    void findOneAndUpdateAsAnotherUserFindsNothing() {
        Map<String, List<BsonDocument>> before = f.snapshot();
        assertThat(f.run(BOB, "findOneAndUpdate", "todo.items", "{filter: {_id: '#i1'}, update: {$set: {done: true}}}")).isEqualTo(BsonNull.VALUE);
        assertThat(f.snapshot()).isEqualTo(before);
    }

    @Test
    void findOneAndUpdateWithUpsertInsertsAndReturnsTheNewDocument() {
        BsonValue created = f.run(ANN, "findOneAndUpdate", "todo.items",
                "{filter: {_id: '#new', owner_id: 'ann'}, update: {$set: {text: 'new'}}, upsert: true, returnNewDocument: true}");
        assertThat(created).isEqualTo(MongoActionsFixture.doc("{_id: '#new', owner_id: 'ann', text: 'new'}"));
        assertThat(item("new")).isEqualTo(created);
    }

    @Test
    void findOneAndReplaceReplacesTheWholeDocumentKeepingItsId() {
        BsonValue result = f.run(ANN, "findOneAndReplace", "todo.items",
                "{filter: {_id: '#i3'}, update: {owner_id: 'ann', text: 'rye'}, returnNewDocument: true}");
        assertThat(result).isEqualTo(MongoActionsFixture.doc("{_id: '#i3', owner_id: 'ann', text: 'rye'}"));
        assertThat(item("i3")).isEqualTo(result);
    }

    @Test
    void findOneAndReplaceIsJudgedOnTheWholeReplacement() {
        // a shared user may write title only: a replacement names owner_id (refused by name, before any value is
        // looked at), and drops open_items and shared_with (refused on the after-image)
        Failure error = refusedAndNothingChanged(BOB, "findOneAndReplace", "todo.lists",
                "{filter: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {owner_id: 'ann', title: 'Food'}}");
        assertThat(error.getMessage()).contains("role \"sharedWith\" may not write field").contains("\"owner_id\"");
        Failure dropping = refusedAndNothingChanged(BOB, "findOneAndReplace", "todo.lists",
                "{filter: {_id: {$oid: '" + ANNS_LIST + "'}}, update: {title: 'Food'}}");
        assertThat(dropping.getMessage()).contains("role \"sharedWith\" may not write fields").contains("\"open_items\"");
    }

    @Test
    void findOneAndReplaceWithoutUpdateDeletesAsRealmWebMeansIt() {
        for (var ctx : List.of(ANN, SYSTEM)) {
            f.seed();
            BsonValue deleted = f.run(ctx, "findOneAndReplace", "todo.items", "{filter: {_id: '#i2'}}");
            assertThat(deleted.asDocument().getString("text").getValue()).isEqualTo("eggs");
            assertThat(item("i2")).isNull();
        }
    }

    @Test
    void findOneAndDeleteDeletesTheFirstInSortOrder() {
        BsonValue deleted = f.run(ANN, "findOneAndDelete", "todo.items", "{filter: {}, sort: {text: 1}, projection: {text: 1, _id: 0}}");
        assertThat(deleted).isEqualTo(BsonDocument.parse("{text: 'bread'}"));
        assertThat(item("i3")).isNull();
        assertThat(f.run(BOB, "findOneAndDelete", "todo.items", "{filter: {_id: '#i1'}}")).isEqualTo(BsonNull.VALUE);
        assertThat(f.run(SYSTEM, "findOneAndDelete", "todo.items", "{filter: {_id: '#i1'}}").asDocument().get("_id")).isEqualTo(MongoActionsFixture.id("i1"));
        Failure refused = refusedAndNothingChanged(BOB, "findOneAndDelete", "todo.lists", "{filter: {_id: {$oid: '" + ANNS_LIST + "'}}}");
        assertThat(refused.getMessage()).contains("may not delete");
    }

    @Test
    void systemFindOneAndStarRunDirectly() {
        assertThat(f.run(SYSTEM, "findOneAndUpdate", "todo.lists",
                "{filter: {_id: {$oid: '" + BOBS_LIST + "'}}, update: {$set: {owner_id: 'zed'}}, returnNewDocument: true, projection: {owner_id: 1, _id: 0}}"))
                .isEqualTo(BsonDocument.parse("{owner_id: 'zed'}"));
        assertThat(f.run(SYSTEM, "findOneAndReplace", "todo.lists",
                "{filter: {_id: {$oid: '" + BOBS_LIST + "'}}, update: {x: 1}, projection: {owner_id: 1, _id: 0}}"))
                .isEqualTo(BsonDocument.parse("{owner_id: 'zed'}"));
        assertThat(list(BOBS_LIST)).isEqualTo(BsonDocument.parse("{_id: {$oid: '" + BOBS_LIST + "'}, x: 1}"));
    }

    // ---- the race between check and write --------------------------------------------------------

    @Test
    void aDocumentChangedBetweenCheckAndWriteIsReadAndCheckedAgain() {
        var other = f.database.database("app").getCollection("meddled", BsonDocument.class);
        int[] calls = {0};
        f.meddler.set(id -> {
            if (calls[0]++ == 0) { // another writer, once, after the first check
                other.updateOne(new BsonDocument("_id", new BsonInt32(1)), BsonDocument.parse("{$set: {v: 10}}"));
            }
        });
        MongoActions.ActionResult result = f.result(f.meddlingUser("u"), "updateOne", "app.meddled",
                "{query: {_id: 1}, update: {$inc: {v: 1}}}");
        assertThat(result.value().asDocument().getInt64("modifiedCount").getValue()).isEqualTo(1);
        assertThat(f.byId("app", "meddled", new BsonInt32(1)).getInt32("v").getValue()).isEqualTo(11);
        assertThat(calls[0]).isEqualTo(2);
        // per attempt: the check by name, then the check of the after-image
        assertThat(result.decisions()).filteredOn(d -> d.action() == Decision.Action.UPDATE).hasSize(4);
    }

    @Test
    void aConflictAfterPartOfAMultiDocumentWriteIsReportedWithWhatWasWritten() {
        var other = f.database.database("app").getCollection("meddled", BsonDocument.class);
        f.meddler.set(id -> {
            if (id.equals(2)) {
                other.updateOne(new BsonDocument("_id", new BsonInt32(2)), BsonDocument.parse("{$set: {v: 50}}"));
            }
        });
        Failure error = f.error(f.meddlingUser("u"), "updateMany", "app.meddled", "{query: {}, update: {$inc: {v: 1}}}");
        assertThat(error.status()).isEqualTo(409);
        assertThat(error.getMessage()).contains("document 2 in app.meddled was changed by another writer")
                .contains("1 of 2 documents of this request were already written");
        assertThat(f.all("app", "meddled")).isEqualTo(List.of(BsonDocument.parse("{_id: 1, v: 2}"), BsonDocument.parse("{_id: 2, v: 50}")));
    }
}
