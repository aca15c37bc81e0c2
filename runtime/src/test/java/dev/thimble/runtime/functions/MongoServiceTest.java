package dev.thimble.runtime.functions;

import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code context.services.get(<mongodb>)} with async/await, against a real embedded server, with each
 * database call handed to an I/O thread (a remote database's way); {@link MongoServiceInPlaceTest} runs
 * the same tests with the calls answered on the function's own thread (the embedded database's, decision 0042).
 */
class MongoServiceTest {
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static FunctionEngine engine;
    /** What the service client answers to {@link MongoServiceClient#inProcess()}. */
    private static boolean inProcess;

    @BeforeAll
    static void start() {
        startWith(false);
    }

    static void startWith(boolean answeredInPlace) {
        inProcess = answeredInPlace;
        engine = FunctionEngine.builder(TestApp.app()
                        .service("mongodb-atlas", "mongodb-atlas")
                        .function("script", "exports = function(source) {\n"
                                + "  return (0, eval)('(async function() {' + source + '\\n})')();\n"
                                + "};")
                        .build())
                .mongo(new DriverMongoServiceClient(EmbeddedMongo.client(), inProcess))
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Runs an async function body with {@code c} bound to a fresh collection. */
    private static BsonValue script(String body) {
        String collection = "c" + COLLECTIONS.incrementAndGet();
        return value(engine, "script", new BsonString(
                "const c = context.services.get('mongodb-atlas').db('mongoservicetest').collection('" + collection + "');\n" + body));
    }

    @Test
    void insertOneThenFindWithSortLimitSkipAndProjection() {
        assertThat(script("""
                for (const n of [3, 1, 2, 5, 4]) await c.insertOne({ _id: n, n, other: 'x' });
                return c.find({ n: { $gt: 1 } }, { _id: 0, n: 1 }).sort({ n: -1 }).skip(1).limit(2).toArray();
                """)).isEqualTo(ejson("[{\"n\": 4}, {\"n\": 3}]"));
    }

    @Test
    void insertOneGeneratesAnObjectIdWhenTheDocumentHasNone() {
        assertThat(script("""
                const r = await c.insertOne({ text: 'hi' });
                const found = await c.findOne({ _id: r.insertedId });
                return [r.insertedId instanceof BSON.ObjectId, found.text];
                """)).isEqualTo(ejson("[true, \"hi\"]"));
    }

    @Test
    void anAwaitedCursorGivesTheArray() {
        assertThat(script("""
                await c.insertMany([{ _id: 1 }, { _id: 2 }]);
                return await c.find({});
                """)).isEqualTo(ejson("[{\"_id\": 1}, {\"_id\": 2}]"));
    }

    @Test
    void findOneGivesADocumentOrNull() {
        assertThat(script("""
                await c.insertOne({ _id: 1, a: 'x' });
                return [await c.findOne({ _id: 1 }, { a: 1 }), await c.findOne({ _id: 99 })];
                """)).isEqualTo(ejson("[{\"_id\": 1, \"a\": \"x\"}, null]"));
    }

    @Test
    void countAggregateAndDistinct() {
        assertThat(script("""
                await c.insertMany([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }]);
                const count = await c.count({ k: 'a' });
                const grouped = await c.aggregate([{ $group: { _id: '$k', total: { $sum: '$v' } } }, { $sort: { _id: 1 } }]).toArray();
                const keys = await c.distinct('k', {});
                return { count, countType: typeof count, grouped, keys: keys.sort() };
                """)).isEqualTo(ejson("""
                {"count": 2, "countType": "number", "grouped": [{"_id": "a", "total": 4}, {"_id": "b", "total": 2}], "keys": ["a", "b"]}
                """));
    }

    @Test
    void writesReturnTheStitchResultShapesWithPlainNumbers() {
        assertThat(script("""
                const many = await c.insertMany([{ _id: 1, n: 1 }, { _id: 2, n: 1 }, { _id: 3, n: 2 }]);
                const one = await c.updateOne({ _id: 1 }, { $set: { n: 10 } });
                const upsert = await c.updateOne({ _id: 7 }, { $set: { n: 7 } }, { upsert: true });
                const all = await c.updateMany({ n: { $lt: 5 } }, { $inc: { n: 100 } });
                const delOne = await c.deleteOne({ _id: 1 });
                const delMany = await c.deleteMany({});
                return { many, one, upsert, all, delOne, delMany };
                """)).isEqualTo(ejson("""
                {"many": {"insertedIds": [1, 2, 3]},
                 "one": {"matchedCount": 1, "modifiedCount": 1},
                 "upsert": {"matchedCount": 0, "modifiedCount": 0, "upsertedId": 7},
                 "all": {"matchedCount": 2, "modifiedCount": 2},
                 "delOne": {"deletedCount": 1},
                 "delMany": {"deletedCount": 3}}
                """));
    }

    @Test
    void findOneAndUpdateReplaceAndDelete() {
        assertThat(script("""
                await c.insertOne({ _id: 1, n: 1 });
                const before = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } });
                const after = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnNewDocument: true, projection: { n: 1 } });
                const replaced = await c.findOneAndReplace({ _id: 1 }, { m: 'new' }, { returnNewDocument: true });
                const deleted = await c.findOneAndDelete({ _id: 1 });
                const missing = await c.findOneAndDelete({ _id: 1 });
                return { before, after, replaced, deleted, missing };
                """)).isEqualTo(ejson("""
                {"before": {"_id": 1, "n": 1}, "after": {"_id": 1, "n": 3}, "replaced": {"_id": 1, "m": "new"},
                 "deleted": {"_id": 1, "m": "new"}, "missing": null}
                """));
    }

    @Test
    void callsStartedTogetherRunConcurrentlyAndAllSettle() {
        assertThat(script("""
                await Promise.all([1, 2, 3, 4, 5].map((n) => c.insertOne({ _id: n })));
                const counts = await Promise.all([c.count({}), c.count({ _id: { $gt: 3 } })]);
                return counts;
                """)).isEqualTo(ejson("[5, 2]"));
    }

    @Test
    void aServiceErrorRejectsAndCanBeCaught() {
        assertThat(script("""
                await c.insertOne({ _id: 1 });
                try { await c.insertOne({ _id: 1 }); return 'no error'; }
                catch (e) { return e instanceof Error && /duplicate key/.test(e.message); }
                """)).isEqualTo(org.bson.BsonBoolean.TRUE);
    }

    @Test
    void anUncaughtServiceErrorFailsTheExecution() {
        FunctionResult result = run(engine, "script", new BsonString("""
                const c = context.services.get('mongodb-atlas').db('mongoservicetest').collection('dup');
                await c.deleteMany({});
                await c.insertOne({ _id: 1 });
                await c.insertOne({ _id: 1 });
                """));
        assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.THROWN);
        assertThat(result.error().message()).contains("duplicate key");
    }

    @Test
    void databaseAndCollectionNamesAreListed() {
        assertThat(value(engine, "script", new BsonString("""
                const db = context.services.get('mongodb-atlas').db('listing');
                await db.collection('one').insertOne({});
                return [(await db.getCollectionNames()).includes('one'),
                        (await context.services.get('mongodb-atlas').admin().getDBNames()).includes('listing')];
                """))).isEqualTo(ejson("[true, true]"));
    }

    @Test
    void anInternalFailureInTheServiceGivesTheFunctionAGenericMessage() {
        FunctionEngine broken = FunctionEngine.builder(TestApp.app()
                        .service("mongodb-atlas", "mongodb-atlas")
                        .function("read", "exports = async function() {\n"
                                + "  return context.services.get('mongodb-atlas').db('d').collection('c').findOne({});\n"
                                + "};")
                        .build())
                .mongo(new MongoServiceClient() {
                    @Override
                    public BsonValue call(String service, String action, org.bson.BsonDocument arguments, Caller caller) {
                        throw new IllegalStateException("connection pool internals at com.example.Secret");
                    }

                    @Override
                    public boolean inProcess() {
                        return inProcess;
                    }
                })
                .limits(Functions.TEST_LIMITS)
                .build();
        try (broken) {
            FunctionResult result = run(broken, "read");
            assertThat(result.error().message())
                    .startsWith("internal error in service 'mongodb-atlas' (findOne); incident ")
                    .endsWith(", details are in the server log")
                    .doesNotContain("com.example", "IllegalState");
        }
    }
}
