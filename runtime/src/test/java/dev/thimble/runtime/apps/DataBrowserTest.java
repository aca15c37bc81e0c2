package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data browser's service on the example app's embedded database: listing, finding, and writing one document. */
class DataBrowserTest {
    @TempDir
    static Path temp;
    private static AppSession session;
    private static DataBrowser data;
    private static final String DB = "browser_test_" + System.nanoTime();

    @BeforeAll
    static void start() {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        data = session.data();
        for (int i = 0; i < 7; i++) {
            data.insert(DB, "things", "{\"n\": " + i + ", \"even\": " + (i % 2 == 0) + "}");
        }
    }

    @AfterAll
    static void stop() {
        session.runningHost().ifPresent(host -> host.database().database(DB).drop());
        session.close();
    }

    @Test
    void databasesListTheirCollectionsWithCountsAndIndexes() {
        DataBrowser.CollectionInfo things = data.databases().stream().filter(d -> d.name().equals(DB))
                .flatMap(d -> d.collections().stream()).filter(c -> c.name().equals("things")).findFirst().orElseThrow();

        assertThat(things.count()).isEqualTo(7);
        assertThat(things.indexes()).anySatisfy(index -> assertThat(index).startsWith("_id_"));
    }

    @Test
    void aFindAppliesFilterSortProjectionAndPaging() {
        DataBrowser.Page page = data.find(new DataBrowser.Query(DB, "things", "{\"even\": true}", "{\"n\": -1}", "{\"_id\": 0, \"n\": 1}", 1, 2));

        assertThat(page.total()).isEqualTo(4);
        assertThat(page.documents()).containsExactly(new BsonDocument("n", new BsonInt32(4)), new BsonDocument("n", new BsonInt32(2)));
        assertThat(page.hasNext()).isTrue();
    }

    @Test
    void aFilterThatIsNotJsonSaysWhichFieldIsWrong() {
        assertThatThrownBy(() -> data.find(new DataBrowser.Query(DB, "things", "{\"even\": tru", "", "", 0, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("The filter is not valid Extended JSON");
        assertThatThrownBy(() -> data.find(new DataBrowser.Query(DB, "things", "", "[1]", "", 0, 10)))
                .hasMessageStartingWith("The sort must be an Extended JSON document");
    }

    @Test
    void insertReplaceAndDeleteOneDocumentPersist() {
        BsonValue id = data.insert(DB, "notes", "{\"text\": \"first\", \"when\": {\"$date\": \"2026-01-02T03:04:05Z\"}}");
        data.replace(DB, "notes", id, "{\"_id\": " + ExtendedJson.oneLine(id) + ", \"text\": \"second\"}");

        List<BsonDocument> docs = data.find(DataBrowser.Query.all(DB, "notes", 10)).documents();
        assertThat(docs).containsExactly(new BsonDocument("_id", id).append("text", new BsonString("second")));

        assertThat(data.delete(DB, "notes", id)).isTrue();
        assertThat(data.find(DataBrowser.Query.all(DB, "notes", 10)).documents()).isEmpty();
        assertThat(data.delete(DB, "notes", id)).isFalse();
    }

    @Test
    void aReplaceMayNotChangeTheIdAndChangesNothing() {
        BsonValue id = data.insert(DB, "fixed", "{\"text\": \"keep\"}");

        assertThatThrownBy(() -> data.replace(DB, "fixed", id, "{\"_id\": 5, \"text\": \"moved\"}"))
                .hasMessageContaining("_id cannot change");
        assertThat(data.find(DataBrowser.Query.all(DB, "fixed", 10)).documents())
                .containsExactly(new BsonDocument("_id", id).append("text", new BsonString("keep")));
    }

    @Test
    void aStoppedServerSaysToStartIt() {
        DataBrowser stopped = new DataBrowser(java.util.Optional::empty);
        assertThatThrownBy(stopped::databases).hasMessageContaining("The server is stopped; start it");
    }
}
