package dev.thimble.workbench.data;

import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.DataBrowser;
import dev.thimble.runtime.apps.ServerControl;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The data browser's state without a window, on the example app's embedded database. */
class DataViewModelTest {
    @TempDir
    static Path temp;
    private static final FakeUiThread ui = new FakeUiThread();
    private static final ExecutorService background = Executors.newSingleThreadExecutor();
    private static final String DB = "vm_test_" + System.nanoTime();
    private static AppSession session;
    private static DataViewModel data;

    @BeforeAll
    static void start() throws Exception {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        for (int i = 0; i < 120; i++) {
            session.data().insert(DB, "numbers", "{\"n\": " + i + "}");
        }
        data = ui.call(() -> new DataViewModel(new UiTasks(background, ui)));
        ui.run(() -> data.attach(session));
        ui.call(data::refresh).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        session.close();
        background.shutdownNow();
        ui.close();
    }

    private static DataBrowser.CollectionInfo collection(String name) {
        return ui.call(() -> data.databases().stream().filter(d -> d.name().equals(DB)).flatMap(d -> d.collections().stream())
                .filter(c -> c.name().equals(name)).findFirst().orElseThrow());
    }

    private static void choose(String name) throws Exception {
        DataBrowser.CollectionInfo chosen = collection(name);
        ui.run(() -> data.collectionProperty().set(chosen));
        // choosing runs a find; wait for it by running another one after it on the same thread
        ui.call(data::find).get(10, TimeUnit.SECONDS);
    }

    @Test
    void choosingACollectionShowsItsFirstPageAndPagesOn() throws Exception {
        choose("numbers");
        assertThat(ui.call(() -> data.documents().size())).isEqualTo(DataViewModel.PAGE_SIZE);
        assertThat(ui.call(() -> data.pageSummaryProperty().get())).isEqualTo("1\u201350 of 120");
        assertThat(ui.call(() -> data.columns())).containsExactly("_id", "n");

        ui.call(data::nextPage).get(10, TimeUnit.SECONDS);
        ui.call(data::nextPage).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> data.pageSummaryProperty().get())).isEqualTo("101\u2013120 of 120");
        assertThat(ui.call(() -> data.hasNextProperty().get())).isFalse();
    }

    @Test
    void aFilterWithSortAndProjectionNarrowsThePage() throws Exception {
        choose("numbers");
        ui.run(() -> {
            data.filterProperty().set("{\"n\": {\"$lt\": 3}}");
            data.sortProperty().set("{\"n\": -1}");
            data.projectionProperty().set("{\"_id\": 0}");
        });
        ui.call(data::find).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> data.documents().stream().map(BsonDocument::toJson).toList()))
                .containsExactly("{\"n\": 2}", "{\"n\": 1}", "{\"n\": 0}");
    }

    @Test
    void aBadFilterIsShownBesideTheQueryAndThePageStays() throws Exception {
        choose("numbers");
        int shown = ui.call(() -> data.documents().size());
        ui.run(() -> data.filterProperty().set("{n: "));
        ui.call(data::find).handle((r, e) -> null).get(10, TimeUnit.SECONDS);

        assertThat(ui.call(() -> data.queryErrorProperty().get())).startsWith("The filter is not valid Extended JSON");
        assertThat(ui.call(() -> data.documents().size())).isEqualTo(shown);
    }

    @Test
    void insertEditAndDeleteADocumentPersist() throws Exception {
        session.data().insert(DB, "notes", "{\"seed\": true}");
        ui.call(data::refresh).get(10, TimeUnit.SECONDS);
        choose("notes");

        ui.run(data::newDocument);
        ui.run(() -> data.editorProperty().set("{\"text\": \"hello\"}"));
        ui.call(data::insert).get(10, TimeUnit.SECONDS);
        ui.call(data::find).get(10, TimeUnit.SECONDS);
        BsonDocument inserted = ui.call(() -> data.documents().stream().filter(d -> d.containsKey("text")).findFirst().orElseThrow());

        ui.run(() -> data.selectedProperty().set(inserted));
        assertThat(ui.call(() -> data.editorProperty().get())).contains("\"text\": \"hello\"");
        ui.run(() -> data.editorProperty().set(data.editorProperty().get().replace("hello", "edited")));
        ui.call(data::save).get(10, TimeUnit.SECONDS);
        assertThat(session.data().find(new DataBrowser.Query(DB, "notes", "{\"text\": \"edited\"}", "", "", 0, 10)).total()).isEqualTo(1);

        ui.run(() -> data.selectedProperty().set(data.documents().stream()
                .filter(d -> d.containsKey("text")).findFirst().orElseThrow()));
        ui.call(data::delete).get(10, TimeUnit.SECONDS);
        assertThat(session.data().find(new DataBrowser.Query(DB, "notes", "{\"text\": {\"$exists\": true}}", "", "", 0, 10)).total()).isZero();
        assertThat(ui.call(() -> data.noticeProperty().get())).startsWith("Deleted ");
    }

    @Test
    void aDocumentThatDoesNotParseIsRefusedBesideTheEditor() throws Exception {
        choose("numbers");
        ui.run(data::newDocument);
        ui.run(() -> data.editorProperty().set("{\"n\": "));
        ui.call(data::insert).handle((r, e) -> null).get(10, TimeUnit.SECONDS);

        assertThat(ui.call(() -> data.documentErrorProperty().get())).startsWith("The document is not valid Extended JSON");
        assertThat(session.data().find(DataBrowser.Query.all(DB, "numbers", 1)).total()).isEqualTo(120);
    }
}
