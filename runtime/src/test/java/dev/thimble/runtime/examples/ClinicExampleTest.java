package dev.thimble.runtime.examples;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.data.MongoActions;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionExecutionException;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.host.CompiledApp;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's medical example (examples/clinic) on a real, embedded database, through the same
 * {@link MongoActions} the client API and functions use, with {@code %function} and the app's
 * functions running on GraalJS: a doctor reads and writes only their own patients; a nurse sees a
 * partial view, checks allergies and records test results only; an administrator aggregates waiting
 * times without seeing any sensitive field.
 */
class ClinicExampleTest {
    static final Path CLINIC = Path.of("..", "examples", "clinic");
    static final String SERVICE = "mongodb-atlas";
    static final Set<String> SENSITIVE = Set.of("name", "diagnosis", "allergies", "test_results");

    static final Principal DR_GREY = staff("doctor-grey", "doctor", "cardiology");
    static final Principal DR_SHEPHERD = staff("doctor-shepherd", "doctor", "emergency");
    static final Principal NURSE_JOY = staff("nurse-joy", "nurse", "cardiology");
    static final Principal ADMIN_ADA = staff("admin-ada", "admin", null);

    @TempDir
    static Path directory;
    static Database database;
    static MongoActions actions;
    static FunctionEngine functions;
    static Instant now;

    @BeforeAll
    static void open() {
        LoadResult loaded = AppBundles.read(CLINIC);
        assertThat(loaded.problems()).filteredOn(p -> p.isError()).isEmpty();
        AppModel app = loaded.app();
        database = Database.open(DatabaseSettings.embedded(directory));
        CompiledApp compiled = new CompiledApp(app, name -> Optional.empty());
        actions = new MongoActions(database, compiled::rules);
        functions = FunctionEngine.builder(app)
                .mongo((service, action, arguments, caller) -> {
                    try {
                        return actions.execute(service, action, arguments, context(caller)).value();
                    } catch (ApiError e) {
                        throw new ServiceCallException(e.getMessage());
                    }
                })
                .build();
    }

    @AfterAll
    static void close() {
        functions.close();
        database.close();
    }

    @BeforeEach
    void seed() {
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        database.database("clinic").drop();
        insert("staff",
                "{user_id: 'doctor-grey', role: 'doctor', ward: 'cardiology'}",
                "{user_id: 'doctor-shepherd', role: 'doctor', ward: 'emergency'}",
                "{user_id: 'nurse-joy', role: 'nurse', ward: 'cardiology'}",
                "{user_id: 'admin-ada', role: 'admin'}");
        insert("patients",
                patient("a1", "Ann Perkins", "cardiology", "doctor-grey", "['penicillin']", "atrial fibrillation", 120)
                        .replace("test_results: []", "test_results: [" + result("blood pressure", "140/90") + "]"),
                patient("a2", "April Ludgate", "cardiology", "doctor-grey", "[]", "angina", 30),
                patient("b1", "Ben Wyatt", "emergency", "doctor-shepherd", "['latex']", "sprained ankle", 240),
                patient("c1", "Chris Traeger", "cardiology", "doctor-shepherd", "[]", "tachycardia", 60));
    }

    // ---- doctor --------------------------------------------------------------------------------

    @Test
    void aDoctorFindsOnlyTheirOwnPatientsWithEveryField() {
        BsonArray found = run(DR_GREY, "find", "{query: {}, sort: {_id: 1}}").asArray();

        assertThat(ids(found)).containsExactly("a1", "a2");
        assertThat(found.get(0).asDocument()).isEqualTo(stored("a1"));
        assertThat(found.get(0).asDocument().keySet()).contains("diagnosis", "allergies", "test_results", "name");
        assertThat(run(DR_GREY, "findOne", "{query: {_id: '#b1'}}").isNull()).as("another doctor's patient").isTrue();
    }

    @Test
    void aDoctorUpdatesTheirOwnPatientButNotAnotherDoctors() {
        run(DR_GREY, "updateOne", "{query: {_id: '#a1'}, update: {$set: {diagnosis: 'atrial flutter'}}}");
        assertThat(stored("a1").getString("diagnosis").getValue()).isEqualTo("atrial flutter");

        BsonDocument result = run(DR_GREY, "updateOne", "{query: {_id: '#b1'}, update: {$set: {diagnosis: 'x'}}}").asDocument();
        assertThat(result.getInt64("matchedCount").getValue()).isZero();
        assertThat(stored("b1").getString("diagnosis").getValue()).isEqualTo("sprained ankle");
    }

    // ---- nurse ---------------------------------------------------------------------------------

    @Test
    void aNurseFindsThePatientsOfHerWardAsAPartialView() {
        BsonArray found = run(NURSE_JOY, "find", "{query: {}, sort: {_id: 1}}").asArray();

        assertThat(ids(found)).containsExactly("a1", "a2", "c1");
        for (BsonValue patient : found) {
            assertThat(patient.asDocument().keySet()).containsExactlyInAnyOrder("_id", "name", "ward", "allergies");
        }
        assertThat(found.get(0).asDocument().getArray("allergies")).containsExactly(new BsonString("penicillin"));
    }

    @Test
    void aNurseChangingTheDiagnosisIsRejectedWholeAndNothingChanges() {
        Map<String, List<BsonDocument>> before = snapshot();

        assertThatThrownBy(() -> run(NURSE_JOY, "updateOne", "{query: {_id: '#a1'}, update: {$set: {diagnosis: 'healthy'},"
                + " $push: {test_results: " + result("ECG", "normal") + "}}}"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("diagnosis");
                });
        assertThatThrownBy(() -> run(NURSE_JOY, "updateOne", "{query: {_id: '#a1'}, update: {$set: {test_results: []}}}"))
                .as("erasing the results").isInstanceOf(ApiError.class).hasMessageContaining("test_results");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aNursePushesATestResultAndRecordTestResultDoesTheSame() {
        BsonDocument pushed = run(NURSE_JOY, "updateOne",
                "{query: {_id: '#a1'}, update: {$push: {test_results: " + result("troponin", "normal") + "}}}").asDocument();
        assertThat(pushed.getInt64("modifiedCount").getValue()).isEqualTo(1);

        BsonValue recorded = call(NURSE_JOY, "recordTestResult", id("a1"), new BsonString("ECG"), new BsonString("sinus rhythm"));
        assertThat(recorded.asDocument().getString("recorded_by").getValue()).isEqualTo("nurse-joy");

        BsonArray results = stored("a1").getArray("test_results");
        assertThat(results).as(stored("a1").toJson()).hasSize(3);
        assertThat(results.get(0).asDocument().getString("test").getValue()).as("the earlier result stays").isEqualTo("blood pressure");
        assertThat(results.get(1).asDocument().getString("test").getValue()).isEqualTo("troponin");
        assertThat(results.get(2).asDocument().getString("result").getValue()).isEqualTo("sinus rhythm");
        assertThat(stored("a1").getString("diagnosis").getValue()).isEqualTo("atrial fibrillation");
    }

    @Test
    void aNurseCannotRecordResultsForAPatientOnAnotherWard() {
        assertThatThrownBy(() -> call(NURSE_JOY, "recordTestResult", id("b1"), new BsonString("ECG"), new BsonString("ok")))
                .isInstanceOf(FunctionExecutionException.class).hasMessageContaining("no patient");
        assertThat(stored("b1").getArray("test_results")).isEmpty();
    }

    // ---- administrator -------------------------------------------------------------------------

    @Test
    void anAdministratorAggregatesWaitingTimesPerWard() {
        BsonArray perWard = call(ADMIN_ADA, "waitingTimes").asArray();

        Map<String, BsonDocument> byWard = new TreeMap<>();
        perWard.forEach(v -> byWard.put(v.asDocument().getString("_id").getValue(), v.asDocument()));
        assertThat(byWard.keySet()).containsExactly("cardiology", "emergency");
        assertThat(byWard.get("cardiology").getNumber("patients").intValue()).isEqualTo(3);
        // cardiology waits 120, 30 and 60 minutes (plus the seconds since seeding): about 70 on average
        assertThat(byWard.get("cardiology").getNumber("averageMinutes").doubleValue()).isBetween(69.9, 75.0);
        assertThat(byWard.get("emergency").getNumber("longestMinutes").doubleValue()).isBetween(239.9, 245.0);
        assertThat(perWard.get(0).asDocument().getString("_id").getValue()).as("longest average first").isEqualTo("emergency");

        BsonArray perDoctor = call(ADMIN_ADA, "waitingTimes", new BsonString("doctor_id")).asArray();
        assertThat(perDoctor).extracting(v -> v.asDocument().getString("_id").getValue())
                .containsExactlyInAnyOrder("doctor-grey", "doctor-shepherd");
    }

    @Test
    void anAdministratorsAggregationCannotGroupBySensitiveFields() {
        BsonArray byDiagnosis = run(ADMIN_ADA, "aggregate", "{pipeline: [{$group: {_id: '$diagnosis', n: {$sum: 1}}}]}").asArray();

        assertThat(byDiagnosis).hasSize(1);
        assertThat(byDiagnosis.get(0).asDocument().get("_id").isNull()).as("no diagnosis reaches the pipeline").isTrue();
        assertThat(byDiagnosis.get(0).asDocument().getNumber("n").intValue()).isEqualTo(4);
    }

    @Test
    void anAdministratorsFindShowsNoSensitiveField() {
        BsonArray found = run(ADMIN_ADA, "find", "{query: {}}").asArray();

        assertThat(found).hasSize(4);
        for (BsonValue patient : found) {
            assertThat(patient.asDocument().keySet()).containsExactlyInAnyOrder("_id", "ward", "doctor_id", "waiting_since")
                    .doesNotContainAnyElementsOf(SENSITIVE);
        }
        assertThat(run(ADMIN_ADA, "find", "{query: {diagnosis: 'angina'}}").asArray())
                .as("a query on a field the administrator cannot read matches nothing").isEmpty();
        assertThatThrownBy(() -> run(ADMIN_ADA, "updateOne", "{query: {_id: '#a1'}, update: {$set: {ward: 'emergency'}}}"))
                .isInstanceOf(ApiError.class);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static Principal staff(String id, String role, String ward) {
        BsonDocument custom = new BsonDocument("user_id", new BsonString(id)).append("role", new BsonString(role));
        if (ward != null) {
            custom.append("ward", new BsonString(ward));
        }
        return Principal.normal(id).withCustomData(custom);
    }

    /** The rule context of a function's caller, as the server builds it: %function runs the app's function as that caller. */
    static RuleContext context(Caller caller) {
        if (caller.isSystem()) {
            return RuleContext.system();
        }
        FunctionCaller ruleFunctions = (name, arguments) -> {
            List<BsonValue> bson = new ArrayList<>();
            arguments.forEach(a -> bson.add(new Document("v", a).toBsonDocument().get("v")));
            BsonValue result = functions.execute(name, bson, new ExecutionRequest(caller, RequestInfo.NONE, null)).orThrow();
            return Document.parse(new BsonDocument("v", result).toJson()).get("v");
        };
        return RuleContext.forUser(caller.user()).functions(ruleFunctions).build();
    }

    static BsonValue run(Principal user, String action, String arguments) {
        BsonDocument args = new BsonDocument("database", new BsonString("clinic")).append("collection", new BsonString("patients"));
        args.putAll(BsonDocument.parse(withIds(arguments)));
        return actions.execute(SERVICE, action, args, context(Caller.user(user))).value();
    }

    static BsonValue call(Principal user, String function, BsonValue... arguments) {
        return functions.execute(function, List.of(arguments), ExecutionRequest.asUser(user)).orThrow();
    }

    /** Patients' ids: {@code '#a1'} in test JSON is ObjectId 65b0000000000000000000a1 (the schema wants ObjectIds). */
    static String withIds(String json) {
        return json.replaceAll("'#([0-9a-f]{2})'", "{\\$oid: '65b0000000000000000000$1'}");
    }

    static BsonObjectId id(String name) {
        return new BsonObjectId(new ObjectId("65b0000000000000000000" + name));
    }

    static String patient(String id, String name, String ward, String doctor, String allergies, String diagnosis, int waitingMinutes) {
        return "{_id: " + withIds("'#" + id + "'") + ", name: '" + name + "', ward: '" + ward + "', doctor_id: '" + doctor + "', allergies: " + allergies
                + ", diagnosis: '" + diagnosis + "', test_results: [], waiting_since: {$date: '"
                + now.minus(waitingMinutes, ChronoUnit.MINUTES) + "'}}";
    }

    static String result(String test, String value) {
        return "{test: '" + test + "', result: '" + value + "', recorded_at: {$date: '" + now + "'}, recorded_by: 'nurse-joy'}";
    }

    static void insert(String collection, String... documents) {
        for (String document : documents) {
            database.database("clinic").getCollection(collection, BsonDocument.class).insertOne(BsonDocument.parse(document));
        }
    }

    static BsonDocument stored(String id) {
        return database.database("clinic").getCollection("patients", BsonDocument.class)
                .find(new BsonDocument("_id", id(id))).first();
    }

    static Map<String, List<BsonDocument>> snapshot() {
        Map<String, List<BsonDocument>> out = new TreeMap<>();
        for (String collection : List.of("patients", "staff")) {
            out.put(collection, database.database("clinic").getCollection(collection, BsonDocument.class).find()
                    .sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>()));
        }
        return out;
    }

    static List<String> ids(BsonArray documents) {
        return documents.stream().map(d -> d.asDocument().getObjectId("_id").getValue().toHexString().substring(22)).toList();
    }
}
