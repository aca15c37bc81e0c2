package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.ClinicHostAccess;
import dev.thimble.ruledesigner.FieldRule;
import dev.thimble.ruledesigner.HostLiveData;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.testing.Eventually;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.thimble.ruledesigner.ui.FxSupport.ROBOT;
import static dev.thimble.ruledesigner.ui.FxSupport.fx;
import static dev.thimble.ruledesigner.ui.FxSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinic's saved patients rule in the designer, on a real host with 1,243 patients and three
 * nurses who made requests: the field grid's checkboxes (sampled nested fields too) edit the rule and
 * the JSON beside shows it; what-if summarises who gains what on every document; a template asks
 * before it replaces the roles.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemplateGridWhatIfFxTest {
    @TempDir
    static Path temp;
    static ClinicHostAccess clinic;
    static Stage stage;
    static RuleDesign design;
    static DesignerViewModel designer;
    static SimulatorViewModel simulator;
    static RuleDesignerPane pane;

    @BeforeAll
    static void start() throws Exception {
        clinic = ClinicHostAccess.start(temp, false);
        clinic.staff("grey@clinic.example", "doctor", null);
        for (String nurse : List.of("joy", "kim", "lee")) {
            clinic.staff(nurse + "@clinic.example", "nurse", "cardiology");
        }
        clinic.seedPatients("dr-grey");
        List<Document> more = new ArrayList<>();
        for (int i = 0; i < 1_240; i++) {
            more.add(new Document("_id", new ObjectId()).append("name", "patient " + i).append("ward", "cardiology")
                    .append("doctor_id", "someone-else").append("allergies", List.of()).append("diagnosis", "d" + i)
                    .append("contact", new Document("phone", "555-" + i).append("email", "p" + i + "@example.org")));
        }
        clinic.host().database().database("clinic").getCollection("patients").insertMany(more);
        for (String user : List.of("joy", "kim", "lee", "grey")) {
            clinic.findPatients(clinic.login(user + "@clinic.example")); // their requests make them "users of recent requests"
        }
        design = RuleDesign.of(clinic.host().app().service("mongodb-atlas").orElseThrow().collectionRules().stream()
                .filter(r -> r.namespace().equals("clinic.patients")).findFirst().orElseThrow());
        HostLiveData live = new HostLiveData(clinic.host());
        List<Document> sample = live.find("clinic.patients", new Document(), 60).reversed();
        DesignerWindow window = DesignerWindow.show(clinic, design, live, () -> sample, p -> p.designer().setParameterSource(t -> Map.of()));
        stage = window.stage();
        designer = window.designer();
        simulator = window.simulator();
        pane = window.pane();
        fxRun(() -> designer.select(1)); // nurse
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.hideStage();
        clinic.close();
    }

    @Test
    @Order(1)
    void theFieldGridTicksReadPerFieldSampledNestedFieldsIncludedAndTheJsonBesideFollows() throws Exception {
        assertThat(fx(() -> designer.roleNameProperty().get())).isEqualTo("nurse");
        List<String> paths = fx(() -> designer.fieldGrid().stream().map(DesignerViewModel.GridRow::path).toList());
        assertThat(paths).contains("name", "ward", "diagnosis", "contact", "contact.phone", "contact.email");
        assertThat(paths.indexOf("contact.phone")).as("a nested field right after its parent").isGreaterThan(paths.indexOf("contact"));
        assertThat(fx(() -> stage.getScene().lookup("#rule-json").isVisible())).as("the JSON beside the designer, no tab to switch").isTrue();

        CheckBox diagnosis = checkBox("#grid-read-diagnosis");
        assertThat(fx(diagnosis::isSelected)).isFalse();
        ROBOT.clickOn(diagnosis);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(fx(() -> designer.messageProperty().get())).isEmpty();
        FieldRule rule = fx(() -> design.fields(1).stream().filter(f -> f.path().equals("diagnosis")).findFirst().orElseThrow());
        assertThat(rule.read().asBoolean()).isTrue();
        assertThat(fx(() -> ((TextArea) stage.getScene().lookup("#rule-json")).getText())).contains("\"diagnosis\"");
        assertThat(fx(() -> checkBox("#grid-read-diagnosis").isSelected())).isTrue();
        assertThat(FxSupport.shoot(stage.getScene(), "rule-designer-field-grid")).exists();

        CheckBox insert = checkBox("#toggle-insert");
        boolean was = fx(insert::isSelected);
        ROBOT.clickOn(insert);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> designer.permissionProperty(dev.thimble.ruledesigner.Permission.INSERT).get())).isEqualTo(String.valueOf(!was));
    }

    @Test
    @Order(2)
    void whatIfSummarisesWhoGainsWhichFieldOnEveryDocumentThenTheDetails() throws Exception {
        fxRun(() -> pane.tabs().getSelectionModel().select(1));
        fxRun(simulator::loadLive);
        WaitForAsyncUtils.waitForFxEvents();
        // a crafted nurse: a simulated user the what-if compares for too (placeholders, not values, until typed)
        fxRun(() -> simulator.userProperty().set(simulator.users().stream().filter(SimulatorViewModel.UserChoice::crafted).findFirst().orElseThrow()));
        assertThat(fx(() -> simulator.craftedIdProperty().get())).isEmpty();
        assertThat(fx(() -> ((javafx.scene.control.TextField) stage.getScene().lookup("#sim-custom-data")).getPromptText()))
                .contains("\"role\": …", "\"ward\": …");
        fxRun(() -> simulator.craftedIdProperty().set("sim-nurse"));
        fxRun(() -> simulator.addCustomDataField("role"));
        assertThat(fx(() -> simulator.craftedCustomDataProperty().get())).isEqualTo("{\"role\": \"\"}");
        fxRun(() -> simulator.craftedCustomDataProperty().set("{\"role\": \"nurse\", \"ward\": \"cardiology\"}"));

        ROBOT.clickOn(fx(() -> stage.getScene().lookup("#sim-what-if")));
        Eventually.await(Duration.ofSeconds(120), "the what-if summary", () -> fx(() -> simulator.whatIfSummaryProperty().get()).contains("Compared for"));
        String summary = fx(() -> simulator.whatIfSummaryProperty().get());
        assertThat(summary.lines().findFirst().orElseThrow()).isEqualTo("4 users gain read on `diagnosis` on 1,242 documents");
        assertThat(summary).contains("Compared for 5 users (4 from recent requests, 1 simulated) on all 1,243 documents of clinic.patients.");
        assertThat(fx(() -> simulator.whatIfProperty().get())).contains("sim-nurse on ").contains("gains [diagnosis]");
        assertThat(fx(() -> stage.getScene().lookup("#sim-what-if-summary").isVisible())).isTrue();
        assertThat(FxSupport.shoot(stage.getScene(), "rule-simulator-what-if")).exists();
        fxRun(() -> pane.tabs().getSelectionModel().select(0));
    }

    @Test
    @Order(3)
    void aTemplateAsksBeforeReplacingTheRolesCancelKeepsThemAddAppendsReplaceReplaces() {
        List<String> before = fx(() -> List.copyOf(designer.roles()));
        assertThat(before).containsExactly("doctor", "nurse", "administrator");

        chooseTemplate("Owner only");
        assertThat(dialogText()).contains("This rule has 3 role(s): doctor, nurse, administrator").contains("brings: owner");
        clickInDialog("#template-cancel");
        assertThat(fx(() -> List.copyOf(designer.roles()))).as("cancel changes nothing").isEqualTo(before);

        chooseTemplate("Owner only");
        clickInDialog("#template-add");
        assertThat(fx(() -> List.copyOf(designer.roles()))).containsExactly("doctor", "nurse", "administrator", "owner");

        chooseTemplate("Everyone reads, owner writes");
        clickInDialog("#template-replace");
        assertThat(fx(() -> List.copyOf(designer.roles()))).containsExactly("owner", "reader");
        assertThat(fx(() -> designer.messageProperty().get())).isEmpty();
    }

    /** Fires the template's menu item as a click does; its dialog runs its own event loop, so the action is not awaited. */
    private static void chooseTemplate(String title) {
        MenuButton templates = (MenuButton) fx(() -> stage.getScene().lookup("#templates"));
        MenuItem item = fx(() -> templates.getItems().stream().filter(i -> i.getText().equals(title)).findFirst().orElseThrow());
        Platform.runLater(item::fire);
        Eventually.await(Duration.ofSeconds(20), "the add-or-replace dialog", () -> dialogNode("#template-mode-dialog").isPresent());
    }

    private static String dialogText() {
        return fx(() -> ((javafx.scene.control.DialogPane) dialogNode("#template-mode-dialog").orElseThrow()).getContentText());
    }

    private static void clickInDialog(String id) {
        Node button = fx(() -> dialogNode(id).orElseThrow());
        ROBOT.clickOn(button);
        Eventually.await(Duration.ofSeconds(20), "the dialog to close", () -> fx(() -> dialogNode("#template-mode-dialog").isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Optional<Node> dialogNode(String id) {
        return fx(() -> Window.getWindows().stream().filter(Window::isShowing).filter(w -> w != stage && w.getScene() != null)
                .map(w -> w.getScene().lookup(id)).filter(n -> n != null).findFirst());
    }

    private static CheckBox checkBox(String id) {
        WaitForAsyncUtils.waitForFxEvents();
        return (CheckBox) fx(() -> {
            Node n = stage.getScene().lookup(id);
            if (n == null) {
                throw new AssertionError("no " + id);
            }
            return n;
        });
    }
}
