package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.thimble.runtime.data.MongoActionsFixture.ANN;
import static dev.thimble.runtime.data.MongoActionsFixture.BOB;
import static dev.thimble.runtime.data.MongoActionsFixture.CARL;
import static dev.thimble.runtime.data.MongoActionsFixture.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads of the embedded database through its command entry in this process give what the driver gives through the
 * socket (decision 0066): the same documents with the same BSON types, the same rule decisions, the same errors; and
 * they see what was just written. One database, two {@link MongoActions} over it, one per path.
 */
class InProcessReadsTest {
    @TempDir
    static Path directory;
    static MongoActionsFixture f;
    static MongoActions throughDriver;

    /** Every BSON type a stored document can hold that the embedded server keeps. */
    static final String EVERY_TYPE = """
            {_id: 'types', owner_id: 'bob', i32: 7, i64: {$numberLong: '7'}, dbl: 7.5, negZero: -0.0,
             dec: {$numberDecimal: '7.10'}, str: 'x', yes: true, nothing: null,
             date: {$date: '2026-12-07T10:00:00.123Z'}, ts: {$timestamp: {t: 1700000000, i: 3}},
             oid: {$oid: '65a0000000000000000000ff'}, bin: {$binary: {base64: 'AQID', subType: '00'}},
             uuid: {$binary: {base64: 'ASNFZ4mrze8BI0VniavN7w==', subType: '04'}},
             legacyUuid: {$binary: {base64: 'ASNFZ4mrze8BI0VniavN7w==', subType: '03'}},
             re: {$regularExpression: {pattern: '^a.c$', options: 'i'}}, js: {$code: 'function () { return 1; }'},
             min: {$minKey: 1}, max: {$maxKey: 1}, nested: {a: [1, {b: 'c'}, [2, 3]], e: {}}, empty: []}""";

    @BeforeAll
    static void open() {
        f = new MongoActionsFixture(directory, true);
        throughDriver = new MongoActions(f.database, f.rulesOfService, false);
        assertThat(f.actions.readsInProcess()).isTrue();
        assertThat(throughDriver.readsInProcess()).isFalse();
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @BeforeEach
    void seed() {
        f.seed();
        f.insert("todo", "notes", EVERY_TYPE);
    }

    record Read(String name, RuleContext ctx, String action, String namespace, String arguments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Read> reads() {
        return Stream.of(
                new Read("find as the owner", BOB, "find", "todo.notes", "{query: {}}"),
                new Read("findOne of every type as the owner", BOB, "findOne", "todo.notes", "{query: {_id: 'types'}}"),
                new Read("findOne of every type as system", SYSTEM, "findOne", "todo.notes", "{query: {_id: 'types'}}"),
                new Read("find by typed values", BOB, "find", "todo.notes",
                        "{query: {i64: 7, dec: {$numberDecimal: '7.1'}, date: {$lt: {$date: '2027-01-01T00:00:00Z'}}}}"),
                new Read("find with sort, skip and limit", ANN, "find", "todo.items", "{query: {}, sort: {text: -1}, skip: 1, limit: 1}"),
                new Read("find of another user's documents", CARL, "find", "todo.items", "{query: {}}"),
                new Read("field permissions and projection", BOB, "find", "hr.staff",
                        "{query: {}, project: {salary: 1, name: 1}, sort: {_id: 1}}"),
                new Read("a query on an unreadable field", BOB, "find", "hr.staff", "{query: {salary: {$gte: 0}}}"),
                new Read("a sort by an unreadable field", BOB, "find", "hr.staff", "{query: {}, sort: {salary: -1}}"),
                new Read("findOne with projection and sort", ANN, "findOne", "todo.items",
                        "{query: {}, sort: {text: 1}, project: {text: 1, _id: 0}}"),
                new Read("findOne of nothing", ANN, "findOne", "todo.items", "{query: {_id: '#i4'}}"),
                new Read("count with limit", BOB, "count", "todo.notes", "{query: {}, limit: 2}"),
                new Read("count as system", SYSTEM, "count", "todo.notes", "{query: {}}"),
                new Read("find as system with projection, sort, skip and limit", SYSTEM, "find", "todo.notes",
                        "{query: {}, project: {n: 1}, sort: {n: -1}, skip: 1, limit: 3}"),
                new Read("find as system, everything", SYSTEM, "find", "todo.notes", "{query: {}}"),
                new Read("findOne as system with sort, skip and an exclusion", SYSTEM, "findOne", "todo.notes",
                        "{query: {owner_id: 'bob'}, sort: {n: 1}, skip: 1, project: {_id: 0}}"),
                new Read("findOne as system of nothing", SYSTEM, "findOne", "todo.notes", "{query: {owner_id: 'nobody'}}"),
                new Read("a mixed projection as system", SYSTEM, "find", "todo.notes", "{query: {}, project: {n: 1, owner_id: 0}}"),
                new Read("aggregate over readable documents", BOB, "aggregate", "todo.notes",
                        "{pipeline: [{$group: {_id: '$owner_id', total: {$sum: '$n'}}}]}"),
                new Read("distinct over readable documents", BOB, "distinct", "hr.staff", "{field: 'salary'}"),
                new Read("a server error: $in without an array", BOB, "find", "todo.notes", "{query: {n: {$in: 5}}}"),
                new Read("a server error as system", SYSTEM, "find", "todo.notes", "{query: {n: {$in: 5}}}"),
                new Read("a server error in count", CARL, "count", "todo.notes", "{query: {n: {$size: 'x'}}}"),
                new Read("a refusal of the embedded server: $text", BOB, "find", "todo.notes", "{query: {$text: {$search: 'a'}}}"),
                new Read("a bad regular expression", ANN, "findOne", "todo.items", "{query: {text: {$regex: '('}}}"),
                new Read("a namespace without rules", ANN, "find", "other.things", "{query: {}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void aReadInProcessAnswersAsTheDriverDoes(Read read) {
        Outcome inProcess = outcome(f.actions, read);
        Outcome driver = outcome(throughDriver, read);
        assertThat(inProcess).isEqualTo(driver);
        assertThat(inProcess.value() != null || inProcess.error() != null).isTrue();
    }

    @Test
    void everyStoredTypeComesBackAsItWasWritten() {
        BsonValue read = f.run(BOB, "findOne", "todo.notes", "{query: {_id: 'types'}}");
        assertThat(read).isEqualTo(BsonDocument.parse(EVERY_TYPE));
        assertThat(read.asDocument().get("i64").getBsonType()).isEqualTo(org.bson.BsonType.INT64);
        assertThat(read.asDocument().getDouble("negZero").getValue()).isEqualTo(-0.0);
    }

    @Test
    void anErrorOfTheServerIsTheSameBadRequestOnBothPaths() {
        Read badRegex = new Read("bad regex", ANN, "find", "todo.items", "{query: {text: {$regex: '('}}}");
        Outcome error = outcome(f.actions, badRegex);
        assertThat(error.error()).startsWith("InvalidInput 400 MongoDBError: ").contains("(");
        assertThat(error).isEqualTo(outcome(throughDriver, badRegex));
        Read text = new Read("$text", BOB, "find", "todo.notes", "{query: {$text: {$search: 'a'}}}");
        Outcome refused = outcome(f.actions, text);
        assertThat(refused.error()).startsWith("InvalidInput 400 MongoDBError: ").contains("does not support $text");
        assertThat(refused).isEqualTo(outcome(throughDriver, text));
    }

    @Test
    void aReadAfterAWriteSeesIt() {
        f.run(BOB, "insertOne", "todo.notes", "{document: {_id: 'fresh', owner_id: 'bob', n: 41}}");
        assertThat(f.run(BOB, "findOne", "todo.notes", "{query: {_id: 'fresh'}}")).isEqualTo(BsonDocument.parse("{_id: 'fresh', owner_id: 'bob', n: 41}"));
        f.run(BOB, "updateOne", "todo.notes", "{query: {_id: 'fresh'}, update: {$inc: {n: 1}}}");
        assertThat(f.run(BOB, "findOne", "todo.notes", "{query: {_id: 'fresh'}}").asDocument().getInt32("n").getValue()).isEqualTo(42);
        // a write made outside Thimble's actions, straight through the driver, too
        f.insert("todo", "notes", "{_id: 'outside', owner_id: 'bob', n: 1}");
        assertThat(f.run(BOB, "count", "todo.notes", "{query: {n: {$gte: 1}}}")).isEqualTo(new BsonInt64(5));
        f.run(BOB, "deleteOne", "todo.notes", "{query: {_id: 'fresh'}}");
        assertThat(f.run(BOB, "findOne", "todo.notes", "{query: {_id: 'fresh'}}")).isEqualTo(org.bson.BsonNull.VALUE);
    }

    @Test
    void aQueryLongerThanOneBatchReadsEveryDocumentAndAnEarlyStopLeavesTheNextReadsWorking() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 450; i++) {
            many.append(i == 0 ? "" : ",").append("{owner_id: '").append(i % 3 == 0 ? "bob" : "carl").append("', n: ").append(1000 + i).append('}');
        }
        f.run(SYSTEM, "insertMany", "todo.notes", "{documents: [" + many + "]}");
        BsonValue bobs = f.run(BOB, "find", "todo.notes", "{query: {n: {$gte: 1000}}, sort: {n: -1}}");
        assertThat(bobs).isEqualTo(throughDriver.execute(MongoActionsFixture.SERVICE, "find",
                MongoActionsFixture.args("todo.notes", "{query: {n: {$gte: 1000}}, sort: {n: -1}}"), BOB).value());
        assertThat(bobs.asArray()).hasSize(150);
        assertThat(f.run(SYSTEM, "find", "todo.notes", "{query: {n: {$gte: 1000}}}").asArray()).hasSize(450);
        // bob's first visible note is far into carl's: the cursor is left after a few documents, many times
        for (int i = 0; i < 200; i++) {
            assertThat(f.run(BOB, "findOne", "todo.notes", "{query: {n: {$gte: 1001}}}").asDocument().getInt32("n").getValue()).isEqualTo(1003);
        }
        assertThat(f.run(CARL, "count", "todo.notes", "{query: {n: {$gte: 1000}}}")).isEqualTo(new BsonInt64(300));
    }

    @Test
    void whenTheInProcessQueriesAtOnceAreTakenAReadGoesThroughTheDriverWithTheSameAnswer() {
        EmbeddedCommands commands = ((EmbeddedDatabase) f.database).commands();
        int taken = 0;
        while (commands.enter()) {
            taken++;
        }
        assertThat(taken).isEqualTo(EmbeddedCommands.QUERIES_AT_ONCE);
        try {
            for (Read read : reads().toList()) {
                assertThat(outcome(f.actions, read)).as(read.name()).isEqualTo(outcome(throughDriver, read));
            }
        } finally {
            for (int i = 0; i < taken; i++) {
                commands.leave();
            }
        }
        // every in-process query gave its place back, after reads, early stops and errors alike
        for (int i = 0; i < 50; i++) {
            f.run(BOB, "findOne", "todo.notes", "{query: {}}");
            outcome(f.actions, new Read("error", BOB, "find", "todo.notes", "{query: {n: {$in: 5}}}"));
        }
        int free = 0;
        while (commands.enter()) {
            free++;
        }
        assertThat(free).isEqualTo(EmbeddedCommands.QUERIES_AT_ONCE);
        for (int i = 0; i < free; i++) {
            commands.leave();
        }
    }

    /** What a read gave: its value and decisions, or its error's kind, status, code and message. */
    record Outcome(BsonValue value, List<String> decisions, String error) { }

    private static Outcome outcome(MongoActions actions, Read read) {
        try {
            MongoActions.ActionResult result = actions.execute(MongoActionsFixture.SERVICE, read.action(),
                    MongoActionsFixture.args(read.namespace(), read.arguments()), read.ctx());
            return new Outcome(result.value(), result.decisions().stream().map(InProcessReadsTest::describe).toList(), null);
        } catch (Failure e) {
            return new Outcome(null, List.of(), e.getClass().getSimpleName() + " " + e.status() + " " + e.code() + ": " + e.getMessage());
        }
    }

    private static String describe(Decision d) {
        return d.action() + " " + d.reason() + " " + d.role();
    }
}
