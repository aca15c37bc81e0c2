package dev.thimble.runtime.data;

import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.rules.DataSourceRules;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.rules.RuleContext;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One embedded database per test class, the example todo app's rules (todo.items: owner only, with a
 * filter and a schema; todo.lists: owner plus a "sharedWith" role with field permissions) plus a few
 * rules of our own, and a seeded data set:
 * <ul>
 *   <li>todo.lists: ann's "Groceries" shared with bob, bob's list, carl's list;</li>
 *   <li>todo.items: three of ann's, one of bob's ({@code '#i1'} to {@code '#i4'}; the schema wants ObjectId ids);</li>
 *   <li>todo.notes (owner role, no filter): three of carl's first, then three of bob's;</li>
 *   <li>hr.staff (a "member" role that cannot read salary): ann and bob;</li>
 *   <li>app.meddled: a write permission that calls a %function, to play another writer mid-request.</li>
 * </ul>
 */
final class MongoActionsFixture implements AutoCloseable {
    static final String SERVICE = "mongodb-atlas";
    static final ObjectId ANNS_LIST = new ObjectId("65a0000000000000000000a1");
    static final ObjectId BOBS_LIST = new ObjectId("65a0000000000000000000b1");
    static final ObjectId CARLS_LIST = new ObjectId("65a0000000000000000000c1");

    static final RuleContext SYSTEM = RuleContext.system();
    static final RuleContext ANN = user("ann");
    static final RuleContext BOB = user("bob");
    static final RuleContext CARL = user("carl");

    private static final Path EXAMPLE_RULES = Path.of("..", "examples", "todo", "services", "mongodb-atlas", "rules");

    final Database database;
    final MongoActions actions;
    /** The rules above, for a second {@link MongoActions} over the same database. */
    final java.util.function.Function<String, DataSourceRules> rulesOfService;
    /** What the %function "meddle" of app.meddled does when called (with the document's _id); it returns true. */
    final AtomicReference<java.util.function.Consumer<Object>> meddler = new AtomicReference<>(id -> { });

    MongoActionsFixture(Path directory) {
        this(directory, true);
    }

    /** @param inProcessReads read the embedded database in this process (true) or through the driver (decision 0066) */
    MongoActionsFixture(Path directory, boolean inProcessReads) {
        database = Database.open(DatabaseSettings.embedded(directory));
        DataSourceRules rules = DataSourceRules.compile(List.of(
                exampleRule("todo.items.json"),
                exampleRule("todo.lists.json"),
                rule("""
                        {'database': 'todo', 'collection': 'notes',
                         'roles': [{'name': 'owner', 'apply_when': {'owner_id': '%%user.id'}, 'read': true, 'write': true}]}"""),
                rule("""
                        {'database': 'hr', 'collection': 'staff',
                         'roles': [{'name': 'self', 'apply_when': {'user_id': '%%user.id'}, 'read': true,
                                    'fields': {'name': {'write': true}}, 'additional_fields': {'write': false}},
                                   {'name': 'member', 'apply_when': {},
                                    'fields': {'salary': {'read': false, 'write': false}},
                                    'additional_fields': {'read': true, 'write': false}}]}"""),
                rule("""
                        {'database': 'app', 'collection': 'meddled',
                         'roles': [{'name': 'anyone', 'apply_when': {}, 'read': true,
                                    'write': {'%%true': {'%function': {'name': 'meddle', 'arguments': ['%%prevRoot._id']}}}}]}""")),
                null);
        rulesOfService = name -> name.equals(SERVICE) ? rules : null;
        actions = new MongoActions(database, rulesOfService, inProcessReads);
    }

    static RuleContext user(String id) {
        return RuleContext.forUser(Principal.normal(id)).build();
    }

    /** A user whose rules can call the %function "meddle". */
    RuleContext meddlingUser(String id) {
        FunctionCaller functions = (name, arguments) -> {
            meddler.get().accept(arguments.getFirst());
            return true;
        };
        return RuleContext.forUser(Principal.normal(id)).functions(functions).build();
    }

    private static CollectionRuleDef exampleRule(String file) {
        try {
            return new CollectionRuleDef(Json.parse(Files.readString(EXAMPLE_RULES.resolve(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CollectionRuleDef rule(String json) {
        return new CollectionRuleDef(Json.parse(Document.parse(json).toJson()));
    }

    /** Drops every test database and inserts the data set. */
    void seed() {
        for (String db : List.of("todo", "hr", "app", "other")) {
            database.database(db).drop();
        }
        insert("todo", "lists",
                "{_id: {$oid: '" + ANNS_LIST + "'}, owner_id: 'ann', title: 'Groceries', shared_with: ['bob'], open_items: 2}",
                "{_id: {$oid: '" + BOBS_LIST + "'}, owner_id: 'bob', title: 'Bob list', shared_with: []}",
                "{_id: {$oid: '" + CARLS_LIST + "'}, owner_id: 'carl', title: 'Carl list', shared_with: ['dave']}");
        insert("todo", "items",
                "{_id: '#i1', owner_id: 'ann', list_id: {$oid: '" + ANNS_LIST + "'}, text: 'milk', done: false}",
                "{_id: '#i2', owner_id: 'ann', list_id: {$oid: '" + ANNS_LIST + "'}, text: 'eggs', done: true}",
                "{_id: '#i3', owner_id: 'ann', text: 'bread', done: false}",
                "{_id: '#i4', owner_id: 'bob', text: 'paint', done: false}");
        insert("todo", "notes",
                "{_id: 'n1', owner_id: 'carl', n: 1}", "{_id: 'n2', owner_id: 'carl', n: 2}", "{_id: 'n3', owner_id: 'carl', n: 3}",
                "{_id: 'n4', owner_id: 'bob', n: 4}", "{_id: 'n5', owner_id: 'bob', n: 5}", "{_id: 'n6', owner_id: 'bob', n: 6}");
        insert("hr", "staff",
                "{_id: 1, user_id: 'ann', name: 'Ann', salary: 100}",
                "{_id: 2, user_id: 'bob', name: 'Bob', salary: 200}");
        insert("app", "meddled", "{_id: 1, v: 1}", "{_id: 2, v: 1}");
    }

    void insert(String db, String coll, String... documents) {
        MongoCollection<BsonDocument> c = database.database(db).getCollection(coll, BsonDocument.class);
        for (String document : documents) {
            c.insertOne(doc(document));
        }
    }

    /** Every document of the test databases, by namespace, sorted by _id: to show that a request changed nothing. */
    Map<String, List<BsonDocument>> snapshot() {
        Map<String, List<BsonDocument>> out = new TreeMap<>();
        for (String db : List.of("todo", "hr", "app")) {
            for (String coll : database.database(db).listCollectionNames()) {
                out.put(db + "." + coll, all(db, coll));
            }
        }
        return out;
    }

    List<BsonDocument> all(String db, String coll) {
        return database.database(db).getCollection(coll, BsonDocument.class).find()
                .sort(new BsonDocument("_id", new org.bson.BsonInt32(1))).into(new ArrayList<>());
    }

    BsonDocument byId(String db, String coll, BsonValue id) {
        return database.database(db).getCollection(coll, BsonDocument.class).find(new BsonDocument("_id", id)).first();
    }

    /** Runs an action; {@code arguments} is relaxed JSON with single quotes; database and collection come from {@code namespace}. */
    MongoActions.ActionResult result(RuleContext ctx, String action, String namespace, String arguments) {
        return actions.execute(SERVICE, action, args(namespace, arguments), ctx);
    }

    BsonValue run(RuleContext ctx, String action, String namespace, String arguments) {
        return result(ctx, action, namespace, arguments).value();
    }

    Failure error(RuleContext ctx, String action, String namespace, String arguments) {
        AtomicReference<Failure> error = new AtomicReference<>();
        assertThatThrownBy(() -> run(ctx, action, namespace, arguments))
                .isInstanceOfSatisfying(Failure.class, error::set);
        return error.get();
    }

    static BsonDocument args(String namespace, String arguments) {
        BsonDocument args = doc(arguments);
        int dot = namespace.indexOf('.');
        BsonDocument out = new BsonDocument("database", new org.bson.BsonString(namespace.substring(0, dot)))
                .append("collection", new org.bson.BsonString(namespace.substring(dot + 1)));
        out.putAll(args);
        return out;
    }

    /** A deterministic ObjectId for a short name (at most 12 characters): {@code '#i1'} in test JSON stands for it. */
    static ObjectId oid(String name) {
        return new ObjectId(String.format("%024x", new java.math.BigInteger(1, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    static BsonObjectId id(String name) {
        return new BsonObjectId(oid(name));
    }

    /** Relaxed JSON (single quotes, unquoted keys) where {@code '#name'} is {@link #oid(String) oid(name)}. */
    static BsonDocument doc(String json) {
        Matcher m = OID_NAME.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("{$oid: '" + oid(m.group(1)).toHexString() + "'}"));
        }
        m.appendTail(out);
        return BsonDocument.parse(out.toString());
    }

    private static final Pattern OID_NAME = Pattern.compile("'#([A-Za-z0-9]+)'");

    static List<BsonValue> ids(BsonValue documents) {
        List<BsonValue> out = new ArrayList<>();
        documents.asArray().forEach(d -> out.add(d.asDocument().get("_id")));
        return out;
    }

    @Override
    public void close() {
        database.close();
    }
}
