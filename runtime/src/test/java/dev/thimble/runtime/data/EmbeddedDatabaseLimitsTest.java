package dev.thimble.runtime.data;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.MongoServerException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.ValidationOptions;
import dev.thimble.runtime.data.DatabaseWarning.IgnoredFeature;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the embedded server cannot do fails with an error that says so, before anything is written;
 * what it ignores is warned about once per feature and database. Driven through the real driver.
 */
class EmbeddedDatabaseLimitsTest {

    private static final String ADVICE = " Connect a real MongoDB (thimble serve --mongo-uri ...) to use it.";

    @TempDir
    Path dataDirectory;

    private Database database;
    private MongoDatabase db;
    private MongoCollection<Document> people;

    @BeforeEach
    void openWithTwoPeople() {
        database = Database.open(DatabaseSettings.embedded(dataDirectory));
        db = database.database("app");
        people = db.getCollection("people");
        people.insertMany(List.of(
                new Document("_id", 1).append("name", "Ada").append("loc", List.of(1.0, 2.0)),
                new Document("_id", 2).append("name", "Grace").append("loc", List.of(3.0, 4.0))));
    }

    @AfterEach
    void close() {
        database.close();
    }

    // --- refused -------------------------------------------------------------------------------

    @Test
    void transactionsFailWithAClearErrorOnTheEmbeddedDatabase() {
        try (ClientSession session = database.client().startSession()) {
            session.startTransaction();
            assertRefused("multi-document transactions",
                    () -> people.insertOne(session, new Document("_id", 3).append("name", "Edsger")));
        }
        assertPeopleUnchanged();
    }

    @Test
    void withTransactionFailsWithAClearErrorAndWritesNothing() {
        try (ClientSession session = database.client().startSession()) {
            assertRefused("multi-document transactions", () -> session.withTransaction(() -> {
                people.insertOne(session, new Document("_id", 3));
                return people.deleteOne(session, Filters.eq("_id", 1));
            }));
        }
        assertPeopleUnchanged();
    }

    @Test
    void sessionsWithoutTransactionsWork() {
        try (ClientSession session = database.client().startSession()) {
            people.insertOne(session, new Document("_id", 3).append("name", "Edsger"));
            assertThat(people.countDocuments(session)).isEqualTo(3);
        }
    }

    @Test
    void pipelineStyleUpdatesFailWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("pipeline-style updates (an update given as an array of stages)",
                () -> people.updateMany(new Document(), List.of(new Document("$set", new Document("name", "X")))));
        assertRefused("pipeline-style updates (an update given as an array of stages)",
                () -> people.findOneAndUpdate(Filters.eq("_id", 1), List.of(new Document("$set", new Document("name", "X")))));
        assertPeopleUnchanged();
    }

    @Test
    void aBulkWriteWithOnePipelineUpdateIsRefusedWholeAndWritesNothing() {
        List<UpdateOneModel<Document>> updates = List.of(
                new UpdateOneModel<>(Filters.eq("_id", 1), Updates.set("name", "Changed")),
                new UpdateOneModel<>(Filters.eq("_id", 2), List.of(new Document("$set", new Document("name", "X")))));
        assertRefused("pipeline-style updates (an update given as an array of stages)", () -> people.bulkWrite(updates));
        assertPeopleUnchanged();
    }

    @Test
    void textSearchFailsWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("$text", () -> people.find(Filters.text("Ada")).first());
        assertRefused("$text", () -> people.deleteMany(Filters.or(Filters.eq("_id", 1), Filters.text("Ada"))));
        assertPeopleUnchanged();
    }

    @Test
    void nearFailsWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("$near", () -> people.find(Filters.near("loc", 1.0, 2.0, 10.0, 0.0)).first());
        assertRefused("$nearSphere", () -> people.find(Filters.nearSphere("loc", 1.0, 2.0, 1.0, 0.0)).first());
        assertRefused("$near", () -> people.updateMany(Filters.near("loc", 1.0, 2.0, 10.0, 0.0), Updates.set("name", "X")));
        assertPeopleUnchanged();
    }

    @Test
    void geoNearFailsWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("$geoNear", () -> people.aggregate(List.of(new Document("$geoNear",
                new Document("near", List.of(1.0, 2.0)).append("distanceField", "d")))).first());
    }

    @Test
    void unionWithFailsWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("$unionWith", () -> people.aggregate(List.of(new Document("$unionWith", "others"))).first());
    }

    @Test
    void unionWithInsideALookupPipelineFailsAndItsOutputIsNotWritten() {
        Bson lookup = new Document("$lookup", new Document("from", "others").append("as", "o")
                .append("pipeline", List.of(new Document("$unionWith", "more"))));
        assertRefused("$unionWith", () -> people.aggregate(List.of(lookup, new Document("$out", "copy"))).toCollection());
        assertThat(db.listCollectionNames().into(new ArrayList<>())).doesNotContain("copy");
    }

    @Test
    void setWindowFieldsFailsWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("$setWindowFields", () -> people.aggregate(List.of(new Document("$setWindowFields",
                new Document("sortBy", new Document("_id", 1)).append("output",
                        new Document("n", new Document("$documentNumber", new Document())))))).first());
    }

    @Test
    void cappedCollectionsFailWithAClearErrorOnTheEmbeddedDatabase() {
        assertRefused("capped collections",
                () -> db.createCollection("log", new CreateCollectionOptions().capped(true).sizeInBytes(4096)));
        assertThat(db.listCollectionNames().into(new ArrayList<>())).doesNotContain("log");
    }

    @Test
    void collModOfAnythingButTheValidatorFailsWithAClearError() {
        assertRefused("collMod with 'index' (only validator changes are accepted, and ignored)",
                () -> db.runCommand(new Document("collMod", "people")
                        .append("index", new Document("keyPattern", new Document("name", 1)).append("hidden", true))));
    }

    // --- ignored, warned -------------------------------------------------------------------------

    @Test
    void ttlIndexesAreAcceptedAndWarnedAboutOncePerDatabase() {
        people.createIndex(new Document("seen", 1), new IndexOptions().expireAfter(60L, TimeUnit.SECONDS));
        people.createIndex(new Document("other", 1), new IndexOptions().expireAfter(60L, TimeUnit.SECONDS));
        database.database("second").getCollection("sessions")
                .createIndex(new Document("at", 1), new IndexOptions().expireAfter(1L, TimeUnit.SECONDS));

        assertThat(database.warnings()).extracting(DatabaseWarning::feature, DatabaseWarning::namespace)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(IgnoredFeature.TTL_INDEX, "app.people"),
                        org.assertj.core.groups.Tuple.tuple(IgnoredFeature.TTL_INDEX, "second.sessions"));
        assertThat(database.warnings().getFirst().message()).isEqualTo("The embedded database ignores TTL indexes"
                + " (expireAfterSeconds, first on app.people): documents never expire."
                + " Connect a real MongoDB (thimble serve --mongo-uri ...) for expiry.");
    }

    @Test
    void collationIsAcceptedAndWarnedAbout() {
        Collation english = Collation.builder().locale("en").collationStrength(com.mongodb.client.model.CollationStrength.SECONDARY).build();
        assertThat(people.find(Filters.eq("name", "Ada")).collation(english).into(new ArrayList<>())).hasSize(1);
        people.updateOne(Filters.eq("_id", 1), Updates.set("seen", true),
                new com.mongodb.client.model.UpdateOptions().collation(english));

        assertThat(database.warnings()).extracting(DatabaseWarning::feature).containsExactly(IgnoredFeature.COLLATION);
    }

    @Test
    void theSimpleCollationIsNotWarnedAbout() {
        people.find().collation(Collation.builder().locale("simple").build()).first();
        assertThat(database.warnings()).isEmpty();
    }

    @Test
    void partialFilterExpressionIsAcceptedAndWarnedAbout() {
        db.getCollection("accounts").createIndex(new Document("email", 1), new IndexOptions().unique(true)
                .partialFilterExpression(Filters.exists("email")));
        assertThat(database.warnings()).extracting(DatabaseWarning::feature).containsExactly(IgnoredFeature.PARTIAL_INDEX);
    }

    @Test
    void jsonSchemaValidatorsOnCreateAreAcceptedAndWarnedAbout() {
        db.createCollection("strict", new CreateCollectionOptions().validationOptions(new ValidationOptions()
                .validator(new Document("$jsonSchema", new Document("required", List.of("name"))))));
        db.getCollection("strict").insertOne(new Document("unnamed", true));

        assertThat(database.warnings()).extracting(DatabaseWarning::feature).containsExactly(IgnoredFeature.VALIDATOR);
        assertThat(database.warnings().getFirst().message()).contains("$jsonSchema validators", "app.strict");
    }

    @Test
    void validatorsSetByCollModAreAcceptedAndWarnedAbout() {
        Document reply = db.runCommand(new Document("collMod", "people")
                .append("validator", new Document("$jsonSchema", new Document("required", List.of("name"))))
                .append("validationLevel", "strict"));

        assertThat(reply.get("ok")).isEqualTo(1.0);
        assertThat(database.warnings()).extracting(DatabaseWarning::feature).containsExactly(IgnoredFeature.VALIDATOR);
    }

    @Test
    void eachIgnoredFeatureIsLoggedOnceAsAWarning() {
        Logger logger = (Logger) LoggerFactory.getLogger(EmbeddedLimits.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            for (int i = 0; i < 3; i++) {
                people.createIndex(new Document("f" + i, 1), new IndexOptions().expireAfter(5L, TimeUnit.SECONDS));
            }
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.WARN, database.warnings().getFirst().message()));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static void assertRefused(String feature, Executable call) {
        MongoServerException error = catchThrowableOfType(MongoServerException.class, call::execute);
        assertThat(error).as("expected the embedded database to refuse " + feature).isNotNull();
        assertThat(error.getCode()).isEqualTo(115);
        assertThat(error.getMessage()).contains("The embedded database does not support " + feature + "." + ADVICE);
    }

    private void assertPeopleUnchanged() {
        assertThat(people.find().sort(new Document("_id", 1)).into(new ArrayList<>())).containsExactly(
                new Document("_id", 1).append("name", "Ada").append("loc", List.of(1.0, 2.0)),
                new Document("_id", 2).append("name", "Grace").append("loc", List.of(3.0, 4.0)));
    }
}
