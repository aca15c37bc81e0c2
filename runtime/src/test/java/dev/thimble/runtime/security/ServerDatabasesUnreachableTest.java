package dev.thimble.runtime.security;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.security.ServedBundle.Answer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 1: with a permissive default rule (apply_when {}, read and write true, as development
 * templates ship), no logged-in user reaches the server's own databases — the app's state database
 * (accounts with password hashes, sessions, API keys, logs), the scratch database, admin, local, config,
 * or a system.* collection — through any MongoDB action, aggregate sub-pipeline, watch, or a user's
 * function calling {@code context.services}.
 */
class ServerDatabasesUnreachableTest {
    @TempDir
    static Path temp;
    static ServedBundle app;
    static String state;
    static String attacker;

    static final String PERMISSIVE = """
            {"roles": [{"name": "everyone", "apply_when": {}, "read": true, "write": true, "insert": true, "delete": true}], "filters": []}""";

    @BeforeAll
    static void serve() {
        app = ServedBundle.serve(ServedBundle.bundle("open-tmpl1")
                .defaultRule(PERMISSIVE)
                .function("readAccounts", "{\"name\": \"readAccounts\", \"private\": false}", """
                        exports = async function(db) {
                          return await context.services.get('mongodb-atlas').db(db).collection('userpass_accounts').find({}).toArray();
                        };""")
                .function("resetPassword", "{\"name\": \"resetPassword\", \"private\": false}", """
                        exports = async function(db, hash) {
                          return await context.services.get('mongodb-atlas').db(db).collection('userpass_accounts')
                            .updateMany({}, {$set: {password_hash: hash}});
                        };"""), temp);
        state = AppHost.stateDatabaseName(app.appId());
        app.register("victim@example.com", "victim-password-1");
        attacker = app.register("attacker@example.com", "attacker-password-1");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String attackerHash() {
        return app.host.database().database(state).getCollection("userpass_accounts")
                .find(new Document("email_key", "attacker@example.com")).first().getString("password_hash");
    }

    /** Every action, with arguments that would read or change everything in the namespace if they ran. */
    static List<String[]> everyAction(String db, String coll) {
        String ns = "\"database\": \"" + db + "\", \"collection\": \"" + coll + "\"";
        String set = "{\"$set\": {\"password_hash\": \"" + attackerHash() + "\"}}";
        return List.of(
                new String[] {"find", "{" + ns + ", \"query\": {}}"},
                new String[] {"findOne", "{" + ns + ", \"query\": {}}"},
                new String[] {"count", "{" + ns + ", \"query\": {}}"},
                new String[] {"distinct", "{" + ns + ", \"key\": \"password_hash\", \"query\": {}}"},
                new String[] {"aggregate", "{" + ns + ", \"pipeline\": [{\"$match\": {}}]}"},
                new String[] {"insertOne", "{" + ns + ", \"document\": {\"email_key\": \"evil@example.com\"}}"},
                new String[] {"insertMany", "{" + ns + ", \"documents\": [{\"email_key\": \"evil@example.com\"}]}"},
                new String[] {"updateOne", "{" + ns + ", \"query\": {}, \"update\": " + set + "}"},
                new String[] {"updateMany", "{" + ns + ", \"query\": {}, \"update\": " + set + "}"},
                new String[] {"deleteOne", "{" + ns + ", \"query\": {}}"},
                new String[] {"deleteMany", "{" + ns + ", \"query\": {}}"},
                new String[] {"findOneAndUpdate", "{" + ns + ", \"filter\": {}, \"update\": " + set + "}"},
                new String[] {"findOneAndReplace", "{" + ns + ", \"filter\": {}, \"update\": {\"email_key\": \"x\"}}"},
                new String[] {"findOneAndDelete", "{" + ns + ", \"filter\": {}}"});
    }

    List<Document> accounts() {
        return app.host.database().database(state).getCollection("userpass_accounts").find().into(new ArrayList<>());
    }

    @Test
    void everyActionOnTheStateDatabaseIsRefusedAndChangesNothing() {
        List<Document> before = accounts();
        for (String db : List.of(state, state.toUpperCase(), "__thimble_scratch", "admin", "local", "config", "Admin")) {
            for (String[] call : everyAction(db, "userpass_accounts")) {
                Answer answer = app.action(attacker, call[0], call[1]);
                assertThat(answer.status()).as(call[0] + " on " + db + ": " + answer.body()).isEqualTo(403);
                assertThat(answer.body()).as(call[0] + " on " + db).doesNotContain("$2a$").contains("the server's own");
            }
        }
        assertThat(accounts()).isEqualTo(before);
        assertThat(app.login("victim@example.com", "victim-password-1").status()).isEqualTo(200);
        assertThat(app.login("victim@example.com", "attacker-password-1").status()).isEqualTo(401);
    }

    @Test
    void systemCollectionsOfTheAppsOwnDatabaseAreRefusedToo() {
        for (String[] call : everyAction("shop", "system.views")) {
            assertThat(app.action(attacker, call[0], call[1]).status()).as(call[0]).isEqualTo(403);
        }
    }

    @Test
    void aPermissiveDefaultRuleStillServesTheAppsOwnData() {
        Answer inserted = app.action(attacker, "insertOne", "{\"database\": \"shop\", \"collection\": \"notes\", \"document\": {\"text\": \"hi\"}}");
        assertThat(inserted.status()).as(inserted.body()).isEqualTo(200);
        assertThat(app.action(attacker, "count", "{\"database\": \"shop\", \"collection\": \"notes\", \"query\": {}}").body()).contains("1");
    }

    @Test
    void aggregateStagesThatNameAnotherNamespaceAreRefusedInEveryForm() {
        String from = "{\"db\": \"" + state + "\", \"coll\": \"userpass_accounts\"}";
        List<String> stages = List.of(
                "{\"$lookup\": {\"from\": \"userpass_accounts\", \"localField\": \"a\", \"foreignField\": \"b\", \"as\": \"x\"}}",
                "{\"$lookup\": {\"from\": " + from + ", \"pipeline\": [], \"as\": \"x\"}}",
                "{\"$graphLookup\": {\"from\": \"userpass_accounts\", \"startWith\": \"$a\", \"connectFromField\": \"a\", \"connectToField\": \"b\", \"as\": \"x\"}}",
                "{\"$unionWith\": " + from + "}",
                "{\"$unionWith\": {\"coll\": \"userpass_accounts\", \"pipeline\": []}}",
                "{\"$out\": " + from + "}",
                "{\"$merge\": {\"into\": " + from + "}}",
                "{\"$facet\": {\"a\": [{\"$lookup\": {\"from\": " + from + ", \"pipeline\": [], \"as\": \"x\"}}]}}",
                "{\"$facet\": {\"a\": [{\"$unionWith\": " + from + "}]}}");
        app.action(attacker, "insertOne", "{\"database\": \"shop\", \"collection\": \"orders\", \"document\": {\"a\": 1}}");
        List<Document> before = accounts();
        for (String stage : stages) {
            Answer answer = app.action(attacker, "aggregate", "{\"database\": \"shop\", \"collection\": \"orders\", \"pipeline\": [" + stage + "]}");
            assertThat(answer.status()).as(stage + ": " + answer.body()).isBetween(400, 403);
            assertThat(answer.body()).doesNotContain("$2a$").doesNotContain("password_hash");
        }
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void aWatchOnTheStateDatabaseIsRefused() {
        Answer answer = app.refusedWatch(attacker, "{\"database\": \"" + state + "\", \"collection\": \"userpass_accounts\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("the server's own");
    }

    @Test
    void aUsersFunctionCallingTheMongoServiceCannotReachTheStateDatabase() {
        List<Document> before = accounts();
        Answer read = app.function(attacker, "readAccounts", "[\"" + state + "\"]");
        assertThat(read.status()).as(read.body()).isGreaterThanOrEqualTo(400);
        assertThat(read.body()).doesNotContain("$2a$").contains("the server's own");
        Answer write = app.function(attacker, "resetPassword", "[\"" + state + "\", \"" + attackerHash() + "\"]");
        assertThat(write.status()).as(write.body()).isGreaterThanOrEqualTo(400);
        assertThat(accounts()).isEqualTo(before);
    }
}
