package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.rules.Decision;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.thimble.runtime.data.MongoActionsFixture.ANN;
import static dev.thimble.runtime.data.MongoActionsFixture.BOB;
import static dev.thimble.runtime.data.MongoActionsFixture.CARL;
import static dev.thimble.runtime.data.MongoActionsFixture.SYSTEM;
import static dev.thimble.runtime.data.MongoActionsFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * find, findOne, count, aggregate and distinct as the owner, as another user and as system; bad input. Reads run in
 * this process here; {@link MongoActionsReadThroughDriverTest} runs every case again through the driver (0066).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MongoActionsReadTest {
    MongoActionsFixture f;

    /** Whether the actions read the embedded database in this process. */
    boolean inProcessReads() {
        return true;
    }

    @BeforeAll
    void open(@TempDir Path directory) {
        f = new MongoActionsFixture(directory, inProcessReads());
        assertThat(f.actions.readsInProcess()).isEqualTo(inProcessReads());
    }

    @AfterAll
    void close() {
        f.close();
    }

    @BeforeEach
    void seed() {
        f.seed();
    }

    private static List<BsonValue> oids(String... names) {
        return java.util.Arrays.stream(names).<BsonValue>map(MongoActionsFixture::id).toList();
    }

    private static List<BsonValue> strings(String... values) {
        return java.util.Arrays.stream(values).<BsonValue>map(BsonString::new).toList();
    }

    // ---- find ----------------------------------------------------------------------------------

    @Test
    void findAsTheOwnerReturnsOnlyTheirOwnDocuments() {
        assertThat(ids(f.run(ANN, "find", "todo.items", "{query: {}}"))).isEqualTo(oids("i1", "i2", "i3"));
    }

    @Test
    void findAsAnotherUserReturnsOnlyThatUsersDocuments() {
        assertThat(ids(f.run(BOB, "find", "todo.items", "{query: {}}"))).isEqualTo(oids("i4"));
        assertThat(ids(f.run(BOB, "find", "todo.items", "{query: {text: 'milk'}}"))).isEmpty();
    }

    @Test
    void findAsSystemReturnsEveryDocumentWithoutRules() {
        MongoActions.ActionResult result = f.result(SYSTEM, "find", "todo.items", "{query: {}}");
        assertThat(ids(result.value())).isEqualTo(oids("i1", "i2", "i3", "i4"));
        assertThat(result.decisions()).extracting(Decision::reason).containsExactly(Decision.Reason.SYSTEM);
    }

    @Test
    void aListSharedWithAUserIsReadableByThemThroughTheSharedWithRole() {
        MongoActions.ActionResult result = f.result(BOB, "find", "todo.lists", "{query: {}, sort: {title: 1}}");
        assertThat(result.value().asArray()).extracting(d -> d.asDocument().getString("title").getValue())
                .containsExactly("Bob list", "Groceries");
        assertThat(result.decisions()).filteredOn(d -> d.action() == Decision.Action.READ)
                .extracting(Decision::role).containsExactlyInAnyOrder("owner", "sharedWith");
    }

    @Test
    void findHonoursSortAndSkip() {
        assertThat(ids(f.run(ANN, "find", "todo.items", "{query: {}, sort: {text: -1}, skip: 1}"))).isEqualTo(oids("i2", "i3"));
    }

    @Test
    void limitCountsVisibleDocumentsNotScannedOnes() {
        // notes has no filter: carl's three notes come first in the collection and are invisible to bob
        assertThat(ids(f.run(BOB, "find", "todo.notes", "{query: {}, limit: 2}"))).isEqualTo(strings("n4", "n5"));
        assertThat(f.run(BOB, "count", "todo.notes", "{query: {}, limit: 2}")).isEqualTo(new BsonInt64(2));
    }

    @Test
    void aQueryOnAFieldTheRoleCannotReadMatchesNothing() {
        // bob reads ann's staff record as "member" (no salary) and his own as "self"
        assertThat(ids(f.run(BOB, "find", "hr.staff", "{query: {salary: 100}}"))).isEmpty();
        assertThat(ids(f.run(BOB, "find", "hr.staff", "{query: {salary: {$gte: 0}}}"))).containsExactly(new org.bson.BsonInt32(2));
        assertThat(ids(f.run(BOB, "find", "hr.staff", "{query: {$or: [{name: 'Ann'}, {salary: 100}]}}"))).isEmpty();
        assertThat(f.run(SYSTEM, "count", "hr.staff", "{query: {salary: 100}}")).isEqualTo(new BsonInt64(1));
    }

    @Test
    void sortingByAFieldTheRoleCannotReadMatchesNothingInsteadOfRevealingItsOrder() {
        // bob may read salary only in his own record: sorting by it must not order ann's record for him
        assertThat(ids(f.run(BOB, "find", "hr.staff", "{query: {}, sort: {salary: -1}}"))).containsExactly(new org.bson.BsonInt32(2));
        assertThat(ids(f.run(BOB, "find", "hr.staff", "{query: {}, sort: {name: -1}}")))
                .containsExactly(new org.bson.BsonInt32(2), new org.bson.BsonInt32(1));
        assertThat(ids(f.run(SYSTEM, "find", "hr.staff", "{query: {}, sort: {salary: -1}}")))
                .containsExactly(new org.bson.BsonInt32(2), new org.bson.BsonInt32(1));
    }

    @Test
    void unreadableFieldsAreStrippedAndTheProjectionIsAppliedAfterTheRules() {
        BsonValue found = f.run(BOB, "find", "hr.staff", "{query: {}, project: {salary: 1, name: 1}, sort: {_id: 1}}");
        assertThat(found).isEqualTo(BsonArray.parse("[{_id: 1, name: 'Ann'}, {_id: 2, name: 'Bob', salary: 200}]"));
        BsonValue excluded = f.run(BOB, "find", "hr.staff", "{query: {}, project: {_id: 0, user_id: 0}, sort: {_id: 1}}");
        assertThat(excluded).isEqualTo(BsonArray.parse("[{name: 'Ann'}, {name: 'Bob', salary: 200}]"));
    }

    @Test
    void projectionsWithDottedPathsAndSliceWorkForUsers() {
        f.insert("todo", "notes", "{_id: 'n7', owner_id: 'bob', tags: ['a', 'b', 'c'], meta: {x: 1, y: 2}, rows: [{k: 1, z: 0}, {k: 2, z: 0}]}");
        BsonValue found = f.run(BOB, "findOne", "todo.notes", "{query: {_id: 'n7'}, project: {'meta.x': 1, 'rows.k': 1, tags: {$slice: -2}}}");
        assertThat(found).isEqualTo(BsonDocument.parse("{_id: 'n7', tags: ['b', 'c'], meta: {x: 1}, rows: [{k: 1}, {k: 2}]}"));
    }

    @Test
    void aMixedProjectionIsABadRequest() {
        Failure error = f.error(BOB, "find", "todo.notes", "{query: {}, project: {n: 1, owner_id: 0}}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.getMessage()).contains("Cannot do exclusion on field owner_id in inclusion projection");
    }

    // ---- findOne and count ---------------------------------------------------------------------

    @Test
    void findOneReturnsTheFirstVisibleDocumentOrNull() {
        assertThat(f.run(ANN, "findOne", "todo.items", "{query: {}, sort: {text: 1}, project: {text: 1, _id: 0}}"))
                .isEqualTo(BsonDocument.parse("{text: 'bread'}"));
        assertThat(f.run(ANN, "findOne", "todo.items", "{query: {_id: '#i4'}}")).isEqualTo(BsonNull.VALUE);
        assertThat(f.run(BOB, "findOne", "todo.notes", "{query: {}}").asDocument().getString("_id").getValue()).isEqualTo("n4");
        assertThat(f.run(SYSTEM, "findOne", "todo.items", "{query: {_id: '#i4'}, project: {text: 1}}"))
                .isEqualTo(MongoActionsFixture.doc("{_id: '#i4', text: 'paint'}"));
    }

    @Test
    void countCountsOnlyVisibleDocumentsAsALong() {
        assertThat(f.run(ANN, "count", "todo.items", "{query: {}}")).isEqualTo(new BsonInt64(3));
        assertThat(f.run(BOB, "count", "todo.items", "{}")).isEqualTo(new BsonInt64(1));
        assertThat(f.run(CARL, "count", "todo.notes", "{query: {n: {$gt: 1}}}")).isEqualTo(new BsonInt64(2));
        assertThat(f.run(SYSTEM, "count", "todo.notes", "{query: {}}")).isEqualTo(new BsonInt64(6));
    }

    // ---- aggregate and distinct ----------------------------------------------------------------

    @Test
    void aggregateGroupsOnlyTheDocumentsTheUserMayRead() {
        String pipeline = "{pipeline: [{$group: {_id: '$owner_id', total: {$sum: '$n'}}}, {$sort: {_id: 1}}]}";
        assertThat(f.run(BOB, "aggregate", "todo.notes", pipeline)).isEqualTo(BsonArray.parse("[{_id: 'bob', total: 15}]"));
        assertThat(f.run(SYSTEM, "aggregate", "todo.notes", pipeline))
                .isEqualTo(BsonArray.parse("[{_id: 'bob', total: 15}, {_id: 'carl', total: 6}]"));
    }

    @Test
    void aggregateSeesFieldsAsTheRulesStripThem() {
        BsonValue result = f.run(BOB, "aggregate", "hr.staff", "{pipeline: [{$group: {_id: null, total: {$sum: '$salary'}}}]}");
        assertThat(result).isEqualTo(BsonArray.parse("[{_id: null, total: 200}]"));
    }

    @Test
    void aggregateRefusesLookupForUsersNamingTheStage() {
        Failure error = f.error(ANN, "aggregate", "todo.items",
                "{pipeline: [{$match: {}}, {$lookup: {from: 'lists', localField: 'list_id', foreignField: '_id', as: 'list'}}]}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("InvalidParameter");
        assertThat(error.getMessage()).contains("$lookup").contains("pipeline[1]");
    }

    @Test
    void aggregateRefusesForbiddenStagesInsideFacet() {
        Failure error = f.error(ANN, "aggregate", "todo.items",
                "{pipeline: [{$facet: {a: [{$match: {}}], b: [{$out: 'stolen'}]}}]}");
        assertThat(error.getMessage()).contains("$out").contains("pipeline[0].$facet.b[0]");
        assertThat(f.database.database("todo").listCollectionNames().into(new java.util.ArrayList<>())).doesNotContain("stolen");
    }

    @Test
    void aggregateAsSystemMayLookUpOtherCollections() {
        BsonValue result = f.run(SYSTEM, "aggregate", "todo.items",
                "{pipeline: [{$match: {_id: '#i1'}}, {$lookup: {from: 'lists', localField: 'list_id', foreignField: '_id', as: 'list'}},"
                        + " {$project: {title: {$arrayElemAt: ['$list.title', 0]}}}]}");
        assertThat(result).isEqualTo(new BsonArray(List.of(MongoActionsFixture.doc("{_id: '#i1', title: 'Groceries'}"))));
    }

    @Test
    void distinctListsValuesOfVisibleDocumentsOnly() {
        assertThat(f.run(BOB, "distinct", "todo.notes", "{key: 'owner_id', query: {}}")).isEqualTo(BsonArray.parse("['bob']"));
        assertThat(f.run(SYSTEM, "distinct", "todo.notes", "{key: 'owner_id', query: {}}").asArray()).hasSize(2);
        assertThat(f.run(BOB, "distinct", "hr.staff", "{field: 'salary'}")).isEqualTo(BsonArray.parse("[200]"));
    }

    @Test
    void scratchCollectionsAreEmptiedAfterEachCallAndReused() {
        var scratch = f.database.database(ScratchSpace.DATABASE);
        f.run(BOB, "aggregate", "todo.notes", "{pipeline: [{$match: {}}]}");
        java.util.List<String> kept = scratch.listCollectionNames().into(new java.util.ArrayList<>());
        f.run(BOB, "aggregate", "todo.notes", "{pipeline: [{$match: {}}]}");
        assertThat(scratch.listCollectionNames().into(new java.util.ArrayList<>())).isEqualTo(kept).hasSizeLessThanOrEqualTo(1);
        for (String name : kept) {
            assertThat(scratch.getCollection(name).countDocuments()).as("no caller's documents stay behind").isZero();
        }
    }

    // ---- refusals and bad input ----------------------------------------------------------------

    @Test
    void aNamespaceWithoutRulesIsDeniedToUsersButNotToSystem() {
        f.insert("other", "things", "{_id: 1}");
        Failure error = f.error(ANN, "find", "other.things", "{query: {}}");
        assertThat(error.status()).isEqualTo(403);
        assertThat(error.code()).isEqualTo("NoMatchingRuleFound");
        assertThat(error.getMessage()).isEqualTo("no rule exists for namespace \"other.things\"; add services/mongodb-atlas/rules/other.things.json");
        assertThat(f.run(SYSTEM, "count", "other.things", "{}")).isEqualTo(new BsonInt64(1));
    }

    @Test
    void anUnknownServiceIsNotFound() {
        Failure error = org.assertj.core.api.Assertions.catchThrowableOfType(Failure.class,
                () -> f.actions.execute("mongo-db", "find", MongoActionsFixture.args("todo.items", "{}"), ANN));
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.code()).isEqualTo("ServiceNotFound");
        assertThat(error.getMessage()).contains("mongo-db");
    }

    @Test
    void anUnknownActionListsTheKnownOnes() {
        Failure error = f.error(ANN, "findAll", "todo.items", "{}");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.getMessage()).contains("findAll").contains("find, findOne, aggregate, count, insertOne");
    }

    @Test
    void missingOrMistypedArgumentsAreBadRequestsThatNameTheField() {
        Failure noCollection = org.assertj.core.api.Assertions.catchThrowableOfType(Failure.class,
                () -> f.actions.execute(MongoActionsFixture.SERVICE, "find", BsonDocument.parse("{database: 'todo'}"), ANN));
        assertThat(noCollection.status()).isEqualTo(400);
        assertThat(noCollection.getMessage()).contains("\"collection\" is required");

        Failure query = f.error(ANN, "find", "todo.items", "{query: 'all'}");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.getMessage()).isEqualTo("find: \"query\" must be a document (an object), got a string \"all\"");

        Failure limit = f.error(ANN, "find", "todo.items", "{query: {}, limit: 'ten'}");
        assertThat(limit.getMessage()).isEqualTo("find: \"limit\" must be a number, got a string \"ten\"");

        Failure pipeline = f.error(ANN, "aggregate", "todo.items", "{pipeline: {$match: {}}}");
        assertThat(pipeline.getMessage()).contains("\"pipeline\" must be an array of documents");
    }

    @Test
    void anUnknownQueryOperatorIsReportedByNameEvenWhereNothingWouldMatch() {
        for (var ctx : List.of(ANN, SYSTEM)) {
            Failure error = f.error(ctx, "find", "todo.items", "{query: {text: {$foo: 1}}}");
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.code()).isEqualTo("MongoDBError");
            assertThat(error.getMessage()).isEqualTo("find: \"query\" uses an unknown operator $foo (at text.$foo);"
                    + " check its spelling against MongoDB's query operators");
        }
        // the embedded server itself only notices while matching a document: an empty collection must fail the same way
        Failure onEmpty = f.error(SYSTEM, "find", "todo.nothing_here", "{query: {text: {$foo: 1}}}");
        assertThat(onEmpty.getMessage()).contains("unknown operator $foo");
    }

    @Test
    void listingDatabasesAndCollectionsIsForSystemCallersOnlyAndHidesTheScratchSpace() {
        f.run(BOB, "aggregate", "todo.notes", "{pipeline: []}");
        f.database.database(ScratchSpace.DATABASE).getCollection("op_1_ab").insertOne(new org.bson.Document("x", 1));
        BsonValue databases = f.actions.execute(MongoActionsFixture.SERVICE, "getDBNames", new BsonDocument(), SYSTEM).value();
        assertThat(databases.asArray()).contains(new BsonString("todo")).doesNotContain(new BsonString(ScratchSpace.DATABASE));
        assertThat(f.run(SYSTEM, "getCollectionNames", "todo.x", "{}").asArray()).contains(new BsonString("items"), new BsonString("lists"));
        assertThat(f.error(ANN, "getCollectionNames", "todo.x", "{}").status()).isEqualTo(403);
        f.database.database(ScratchSpace.DATABASE).drop();
    }

    @Test
    void staleScratchCollectionsAreDroppedWhenMongoActionsStarts() {
        var scratch = f.database.database(ScratchSpace.DATABASE);
        scratch.getCollection("op_1_ab").insertOne(new org.bson.Document("x", 1));
        String fresh = "op_" + System.currentTimeMillis() + "_cd";
        scratch.getCollection(fresh).insertOne(new org.bson.Document("x", 1));
        new MongoActions(f.database, name -> null);
        assertThat(scratch.listCollectionNames().into(new java.util.ArrayList<>())).containsExactly(fresh);
        scratch.drop();
    }

    @Test
    void decisionsAreReturnedPerDocumentAndBounded() {
        MongoActions.ActionResult result = f.result(BOB, "find", "todo.notes", "{query: {}}");
        assertThat(result.decisions()).extracting(Decision::action)
                .containsExactly(Decision.Action.QUERY, Decision.Action.READ, Decision.Action.READ, Decision.Action.READ,
                        Decision.Action.READ, Decision.Action.READ, Decision.Action.READ);
        assertThat(result.decisions()).filteredOn(d -> d.reason() == Decision.Reason.NO_ROLE).hasSize(3);

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            many.append(i == 0 ? "" : ",").append("{owner_id: 'carl', n: ").append(100 + i).append('}');
        }
        f.run(SYSTEM, "insertMany", "todo.notes", "{documents: [" + many + "]}");
        MongoActions.ActionResult bounded = f.result(BOB, "find", "todo.notes", "{query: {}}");
        assertThat(bounded.value().asArray()).hasSize(3);
        assertThat(bounded.decisions()).hasSize(MongoActions.MAX_DECISIONS);
        assertThat(bounded.decisionsOmitted()).isEqualTo(1 + 156 - MongoActions.MAX_DECISIONS);
    }
}
