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

    /** Every BSON type the server keeps, as a database call's answer carries it into JavaScript and the result out (0073). */
    private static final String EVERY_TYPE = """
            {"_id": "types", "i32": 7, "i64": {"$numberLong": "9007199254740993"}, "small64": {"$numberLong": "7"}, "dbl": 7.5,
             "negZero": -0.0, "dec": {"$numberDecimal": "7.10"}, "str": "x", "yes": true, "nothing": null,
             "date": {"$date": "2026-12-07T10:00:00.123Z"}, "ts": {"$timestamp": {"t": 1700000000, "i": 3}},
             "oid": {"$oid": "65a0000000000000000000ff"}, "bin": {"$binary": {"base64": "AQID", "subType": "00"}},
             "uuid": {"$binary": {"base64": "ASNFZ4mrze8BI0VniavN7w==", "subType": "04"}},
             "re": {"$regularExpression": {"pattern": "^a.c$", "options": "i"}}, "js": {"$code": "function () { return 1; }"},
             "min": {"$minKey": 1}, "max": {"$maxKey": 1}, "nested": {"a": [1, {"b": "c"}, [2, {"$oid": "65a00000000000000000000a"}]], "e": {}},
             "empty": []}""";

    @Test
    void everyBsonTypeComesBackFromADatabaseCallAsItWasStoredAndKeepsItsJavaScriptType() {
        String collection = "c" + COLLECTIONS.incrementAndGet();
        org.bson.BsonDocument stored = org.bson.BsonDocument.parse(EVERY_TYPE);
        EmbeddedMongo.client().getDatabase("mongoservicetest").getCollection(collection, org.bson.BsonDocument.class).insertOne(stored);
        String read = "const c = context.services.get('mongodb-atlas').db('mongoservicetest').collection('" + collection + "');\n"
                + "const d = await c.findOne({ _id: 'types' });\n";
        assertThat(value(engine, "script", new BsonString(read + "return d;"))).isEqualTo(stored);
        assertThat(value(engine, "script", new BsonString(read + """
                return [typeof d.i32, d.i64 instanceof BSON.Long, typeof d.small64, typeof d.dbl, Object.is(d.negZero, -0),
                  d.dec instanceof BSON.Decimal128, d.date instanceof Date, d.date.getTime(), d.ts instanceof BSON.Timestamp,
                  d.oid instanceof BSON.ObjectId, d.oid.toHexString(), d.oid.equals('65A0000000000000000000FF'),
                  d.nested.a[2][1] instanceof BSON.ObjectId, d.bin instanceof BSON.Binary, d.uuid.sub_type, d.re instanceof RegExp,
                  d.re.flags, d.js instanceof BSON.Code, d.min instanceof BSON.MinKey, d.max instanceof BSON.MaxKey];
                """))).isEqualTo(ejson("""
                ["number", true, "object", "number", true, true, true, 1796637600123.0, true, true, "65a0000000000000000000ff", true,
                 true, true, 4, true, "i", true, true, true]"""));
    }

    @Test
    void anObjectIdFromTheDatabaseBehavesAsOneMadeByTheFunctionAndTheConstructorStillChecks() {
        assertThat(script("""
                const made = new BSON.ObjectId('65A00000000000000000ABCD');
                await c.insertOne({ _id: made, ref: made });
                const d = await c.findOne({ _id: made });
                let refused;
                try { new BSON.ObjectId('not an object id at all!'); } catch (e) { refused = e instanceof TypeError; }
                return [d._id.equals(made), made.equals(d._id), String(d.ref), d._id.toHexString() === made.toHexString(),
                  new BSON.ObjectId(d._id).equals(made), d._id.getTimestamp().getTime(), BSON.ObjectId.length, refused,
                  BSON.ObjectId.isValid(d._id), JSON.stringify(d._id)];
                """)).isEqualTo(ejson("""
                [true, true, "65a00000000000000000abcd", true, true, 1704984576000.0, 1, true, true, "\\"65a00000000000000000abcd\\""]"""));
    }

    @Test
    void aDocumentOneCallChangesIsNotWhatTheNextCallReads() {
        String collection = "c" + COLLECTIONS.incrementAndGet();
        String read = "const c = context.services.get('mongodb-atlas').db('mongoservicetest').collection('" + collection + "');\n";
        assertThat(value(engine, "script", new BsonString(read + """
                await c.insertOne({ _id: 1, text: 'stored', tags: ['a'], when: new Date(5) });
                const d = await c.findOne({ _id: 1 });
                d.text = 'changed'; d.tags.push('b'); d.when.setTime(6); d.added = true;
                return d;
                """))).isEqualTo(ejson("{\"_id\": 1, \"text\": \"changed\", \"tags\": [\"a\", \"b\"], "
                + "\"when\": {\"$date\": {\"$numberLong\": \"6\"}}, \"added\": true}"));
        for (int i = 0; i < 3; i++) { // whichever realm the next calls get
            assertThat(value(engine, "script", new BsonString(read + "return c.findOne({ _id: 1 });")))
                    .isEqualTo(ejson("{\"_id\": 1, \"text\": \"stored\", \"tags\": [\"a\"], \"when\": {\"$date\": {\"$numberLong\": \"5\"}}}"));
        }
    }
}
