package dev.thimble.runtime.app;

import java.util.List;

/**
 * A small but complete app, shaped like the Stitch tutorials: a todo list with owner-only items and
 * shared lists, three functions (one calling another), a database trigger, a scheduled trigger, an
 * http service with a rule and a webhook, an endpoint, values (one from a secret), three providers.
 */
final class RealisticApp {

    static final String ADD_ITEM = """
            exports = async function(listId, text) {
              const items = context.services.get("mongodb-atlas").db("todo").collection("items");
              const result = await items.insertOne({ owner_id: context.user.id, list_id: listId, text, done: false });
              await context.functions.execute("notify", context.user.id, text);
              return result.insertedId;
            };
            """;
    static final String NOTIFY = """
            // Sends a note to the store address; called by addItem and by the triggers.
            exports = function(userId, text) {
              const to = context.values.get("storeEmail");
              console.log(`notify ${to}: ${userId} ${text}`);
              return { to, text };
            };
            """;
    static final String RESET_PASSWORD = """
            exports = ({ token, tokenId, username, password }) => {
              return { status: password.length >= 8 ? "success" : "fail" };
            };
            """;
    static final String ON_EVENT = """
            exports = function(payload, response) {
              const body = EJSON.parse(payload.body.text());
              response.setStatusCode(202);
              return context.functions.execute("notify", "webhook", body.text);
            };
            """;

    private RealisticApp() {
    }

    static TestApp app() {
        return TestApp.app()
                .metadata("""
                        {"name": "todo", "app_id": "todo-abcde", "location": "US-VA", "deployment_model": "GLOBAL",
                         "custom_user_data_config": {"enabled": true, "mongo_service_name": "mongodb-atlas",
                           "database_name": "todo", "collection_name": "users", "user_id_field": "user_id"}}""")
                .provider("""
                        {"name": "anon-user", "type": "anon-user", "disabled": false}""")
                .provider("""
                        {"name": "local-userpass", "type": "local-userpass",
                         "config": {"autoConfirm": true, "runConfirmationFunction": false, "confirmationFunctionName": "",
                                    "runResetFunction": true, "resetFunctionName": "resetPassword"}}""")
                .provider("""
                        {"name": "api-key", "type": "api-key", "disabled": true}""")
                .function("addItem", ADD_ITEM)
                .function("notify", NOTIFY)
                .functionConfig("""
                        {"name": "resetPassword", "private": true, "can_evaluate": {}}""", RESET_PASSWORD)
                .mongo("mongodb-atlas", """
                        {"database": "todo", "collection": "items",
                         "roles": [{"name": "owner", "apply_when": {"owner_id": "%%user.id"},
                                    "read": true, "write": {"owner_id": "%%user.id"}, "insert": true, "delete": true,
                                    "search": true, "fields": {}, "additional_fields": {}}],
                         "filters": [{"name": "mine", "apply_when": {"%%true": true},
                                      "query": {"owner_id": "%%user.id"}, "projection": {}}],
                         "schema": {"properties": {"_id": {"bsonType": "objectId"}, "owner_id": {"bsonType": "string"},
                                                   "text": {"bsonType": "string"}, "done": {"bsonType": "bool"}}}}""", """
                        {"database": "todo", "collection": "lists",
                         "roles": [{"name": "admin", "apply_when": {"%%user.id": {"$in": "%%values.adminIds"}},
                                    "read": true, "write": true},
                                   {"name": "sharedReader",
                                    "apply_when": {"%or": [{"owner_id": "%%user.id"}, {"shared_with": "%%user.id"}]},
                                    "read": true, "write": {"owner_id": "%%user.id"}, "insert": false, "delete": false,
                                    "fields": {"secret_notes": {"read": false, "write": false}},
                                    "additional_fields": {"read": true, "write": false}}],
                         "filters": []}""")
                .service(TestApp.http("http",
                        List.of(TestApp.serviceRule("""
                                {"name": "slack", "actions": ["post"],
                                 "when": {"%%args.url.host": {"%in": ["hooks.slack.com"]}, "%%args.url.scheme": "https"}}""")),
                        List.of(TestApp.webhook("""
                                {"name": "onEvent", "run_as_authed_user": false, "can_evaluate": {},
                                 "options": {"httpMethod": "POST", "validationMethod": "VERIFY_PAYLOAD", "secret_name": "hookSecret"},
                                 "respond_result": true}""", ON_EVENT))))
                .trigger("""
                        {"name": "onNewItem", "type": "DATABASE", "function_name": "notify", "disabled": false,
                         "config": {"service_name": "mongodb-atlas", "database": "todo", "collection": "items",
                                    "operation_types": ["INSERT", "UPDATE"], "match": {"fullDocument.done": false},
                                    "full_document": true}}""")
                .trigger("""
                        {"name": "weekdayDigest", "type": "SCHEDULED", "function_name": "notify",
                         "config": {"schedule": "30 7 * * MON-FRI"}}""")
                .value("""
                        {"name": "storeEmail", "value": "shop@example.com", "from_secret": false}""")
                .value("""
                        {"name": "adminIds", "value": ["5f65a0000000000000000001"], "private": true}""")
                .value("""
                        {"name": "slackToken", "value": "slackTokenSecret", "from_secret": true}""")
                .secrets("hookSecret", "slackTokenSecret")
                .endpoint("""
                        {"route": "/items", "http_method": "POST", "function_name": "addItem",
                         "validation_method": "NO_VALIDATION", "respond_result": true}""");
    }
}
