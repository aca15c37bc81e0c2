package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.thimble.runtime.app.TestApp.app;
import static org.assertj.core.api.Assertions.assertThat;

class TriggerValidationTest {

    private static final String FUNCTIONS = "functions in this app: addItem, notify";

    private static TestApp withFunctionsAndDatabase() {
        return app().functions("addItem", "notify").mongo("mongodb-atlas")
                .provider("{\"name\": \"local-userpass\", \"type\": \"local-userpass\"}");
    }

    private static List<Problem> databaseTrigger(String config) {
        return withFunctionsAndDatabase().trigger("""
                {"name": "onOrder", "type": "DATABASE", "function_name": "notify", "config": %s}""".formatted(config)).validate();
    }

    private static List<Problem> schedule(String cron) {
        return withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "function_name": "notify", "config": {"schedule": "%s"}}""".formatted(cron))
                .validate();
    }

    @Test
    void triggerWithMissingFunctionIsAnError() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "function_name": "sendMail", "config": {"schedule": "0 0 * * *"}}""")
                .validate()).containsExactly(Problem.error("triggers/nightly.json", "function_name",
                "function \"sendMail\" does not exist; " + FUNCTIONS));
    }

    @Test
    void disabledTriggerWithMissingFunctionIsStillAnError() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "disabled": true, "function_name": "sendMail",
                 "config": {"schedule": "0 0 * * *"}}""")
                .validate()).containsExactly(Problem.error("triggers/nightly.json", "function_name",
                "function \"sendMail\" does not exist; " + FUNCTIONS));
    }

    @Test
    void triggerWithoutFunctionIsAnError() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "config": {"schedule": "0 0 * * *"}}""")
                .validate()).containsExactly(Problem.error("triggers/nightly.json", "function_name",
                "the trigger has no function; set \"function_name\"; " + FUNCTIONS));
    }

    @Test
    void eventProcessorFunctionIsResolvedWhenThereIsNoFunctionName() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "config": {"schedule": "0 0 * * *"},
                 "event_processors": {"FUNCTION": {"config": {"function_name": "gone"}}}}""")
                .validate()).containsExactly(Problem.error("triggers/nightly.json", "event_processors.FUNCTION.config.function_name",
                "function \"gone\" does not exist; " + FUNCTIONS));
    }

    @Test
    void eventBridgeProcessorIsAWarning() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "config": {"schedule": "0 0 * * *"},
                 "event_processors": {"AWS_EVENTBRIDGE": {"config": {"account_id": "1", "region": "us-east-1"}}}}""")
                .validate()).containsExactly(Problem.warning("triggers/nightly.json", "event_processors",
                "AWS EventBridge processors are not supported by Thimble; this trigger will deliver no events"
                        + " (give it a function_name instead)"));
    }

    @Test
    void enabledErrorHandlerFunctionMustExist() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "function_name": "notify", "config": {"schedule": "0 0 * * *"},
                 "error_handler": {"config": {"enabled": true, "function_name": "onError"}}}""")
                .validate()).containsExactly(Problem.error("triggers/nightly.json", "error_handler.config.function_name",
                "function \"onError\" does not exist; " + FUNCTIONS));
    }

    @Test
    void disabledErrorHandlerIsNotChecked() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "nightly", "type": "SCHEDULED", "function_name": "notify", "config": {"schedule": "0 0 * * *"},
                 "error_handler": {"config": {"enabled": false, "function_name": ""}}}""")
                .validate()).isEmpty();
    }

    @Test
    void unknownTriggerTypeIsAnError() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "t", "type": "DATABASE_CHANGE", "function_name": "notify", "config": {}}""")
                .validate()).containsExactly(Problem.error("triggers/t.json", "type",
                "unknown trigger type \"DATABASE_CHANGE\"; expected one of DATABASE, SCHEDULED, AUTHENTICATION"));
    }

    @Test
    void duplicateTriggerNamesAreAnError() {
        String trigger = """
                {"name": "t", "type": "SCHEDULED", "function_name": "notify", "config": {"schedule": "0 0 * * *"}}""";
        assertThat(withFunctionsAndDatabase().trigger(trigger).trigger(trigger).validate()).containsExactly(
                Problem.error("triggers/t.json", "name", "another trigger is also named \"t\"; trigger names must be unique"));
    }

    // ---- database triggers ----

    @Test
    void databaseTriggerServiceMustExist() {
        assertThat(databaseTrigger("""
                {"service_name": "atlas", "database": "store", "collection": "orders", "operation_types": ["INSERT"]}"""))
                .containsExactly(Problem.error("triggers/onOrder.json", "config.service_name",
                        "service \"atlas\" does not exist; a database trigger needs a MongoDB service;"
                                + " MongoDB services in this app: mongodb-atlas"));
    }

    @Test
    void databaseTriggerServiceMustBeAMongoService() {
        List<Problem> problems = withFunctionsAndDatabase().service(TestApp.http("http", List.of(), List.of())).trigger("""
                {"name": "onOrder", "type": "DATABASE", "function_name": "notify",
                 "config": {"service_name": "http", "database": "store", "collection": "orders", "operation_types": ["INSERT"]}}""")
                .validate();

        assertThat(problems).containsExactly(Problem.error("triggers/onOrder.json", "config.service_name",
                "service \"http\" is of type \"http\"; a database trigger needs a MongoDB service (mongodb-atlas or mongodb);"
                        + " MongoDB services in this app: mongodb-atlas"));
    }

    @Test
    void unknownOperationTypeIsAnErrorAtItsIndex() {
        assertThat(databaseTrigger("""
                {"service_name": "mongodb-atlas", "database": "store", "collection": "orders", "operation_types": ["INSERT", "UPSERT"]}"""))
                .containsExactly(Problem.error("triggers/onOrder.json", "config.operation_types[1]",
                        "unknown operation type \"UPSERT\"; expected one of INSERT, UPDATE, REPLACE, DELETE, CREATE_COLLECTION,"
                                + " MODIFY_COLLECTION, RENAME_COLLECTION, SHARD_COLLECTION, DROP_COLLECTION, RESHARD_COLLECTION,"
                                + " REFINE_COLLECTION_SHARD_KEY, CREATE_INDEXES, DROP_INDEXES, DROP_DATABASE"));
    }

    @Test
    void missingOperationTypesIsAnError() {
        assertThat(databaseTrigger("""
                {"service_name": "mongodb-atlas", "database": "store", "collection": "orders"}"""))
                .extracting(Problem::field, Problem::isError)
                .containsExactly(org.assertj.core.api.Assertions.tuple("config.operation_types", true));
    }

    @Test
    void emptyCollectionIsAWarningAboutTheEmbeddedDatabase() {
        assertThat(databaseTrigger("""
                {"service_name": "mongodb-atlas", "database": "store", "collection": "", "operation_types": ["INSERT"]}"""))
                .containsExactly(Problem.warning("triggers/onOrder.json", "config.collection",
                        "the collection is empty, so the trigger watches all of database \"store\"; the embedded database"
                                + " delivers no events for that (works on a real MongoDB)"));
    }

    @Test
    void emptyDatabaseIsAWarningAboutTheEmbeddedDatabase() {
        assertThat(databaseTrigger("""
                {"service_name": "mongodb-atlas", "operation_types": ["DELETE"]}"""))
                .containsExactly(Problem.warning("triggers/onOrder.json", "config.database",
                        "the database is empty, so the trigger watches the whole cluster; the embedded database"
                                + " delivers no events for that (works on a real MongoDB)"));
    }

    @Test
    void matchMustBeAnObject() {
        assertThat(databaseTrigger("""
                {"service_name": "mongodb-atlas", "database": "store", "collection": "orders", "operation_types": ["INSERT"],
                 "match": "{\\"fullDocument.status\\": \\"shipped\\"}"}"""))
                .containsExactly(Problem.error("triggers/onOrder.json", "config.match",
                        "expected an object (a $match over the change event), found \"{\"fullDocument.status\": \"shipped\"}\""));
    }

    // ---- scheduled triggers ----

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * *", "*/5 * * * *", "0 9-17/2 * * 1-5", "30 7 1,15 JAN,jul SUN", "0 0 * * 7", "15 3 * * MON-FRI"})
    void validCronSchedulesAreFine(String cron) {
        assertThat(schedule(cron)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 25 * * *     | hour field \"25\" is out of range 0-23",
            "0 0 * * 8      | weekday field \"8\" is out of range 0-7",
            "0 0 * JANUARY *| month field \"JANUARY\" has \"JANUARY\"; expected a number 1-12 or a name JAN-DEC",
            "*/0 * * * *    | minute field \"*/0\" has step 0; a step must be at least 1",
            "0 0 0 * *      | day-of-month field \"0\" is out of range 1-31",
            "0 0 * * 5-1    | weekday field \"5-1\" has range 5-1 whose start is after its end",
            "0 0 * *        | expected 5 fields (minute hour day-of-month month weekday), found 4",
            "0 0 ? * MON    | day-of-month field \"?\" has \"?\"; expected a number 1-31",
    })
    void invalidCronScheduleNamesTheField(String cron, String reason) {
        assertThat(schedule(cron)).containsExactly(Problem.error("triggers/nightly.json", "config.schedule",
                "schedule \"" + cron + "\" is not valid cron: " + reason));
    }

    // ---- authentication triggers ----

    @Test
    void unknownAuthActionIsAnError() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "onSignup", "type": "AUTHENTICATION", "function_name": "notify",
                 "config": {"action_type": "REGISTER", "providers": ["local-userpass"]}}""")
                .validate()).containsExactly(Problem.error("triggers/onSignup.json", "config.action_type",
                "unknown action type \"REGISTER\"; expected one of CREATE, LOGIN, DELETE"));
    }

    @Test
    void authTriggerNeedsProviders() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "onSignup", "type": "AUTHENTICATION", "function_name": "notify",
                 "config": {"action_type": "CREATE", "providers": []}}""")
                .validate()).containsExactly(Problem.error("triggers/onSignup.json", "config.providers",
                "expected a non-empty list of provider types, e.g. [\"local-userpass\"], found []"));
    }

    @Test
    void authTriggerForAProviderTheAppLacksIsAWarning() {
        assertThat(withFunctionsAndDatabase().trigger("""
                {"name": "onSignup", "type": "AUTHENTICATION", "function_name": "notify",
                 "config": {"action_type": "CREATE", "providers": ["local-userpass", "oauth2-google"]}}""")
                .validate()).containsExactly(Problem.warning("triggers/onSignup.json", "config.providers[1]",
                "the app has no auth provider \"oauth2-google\", so the trigger never fires for it;"
                        + " auth providers in this app: local-userpass"));
    }
}
