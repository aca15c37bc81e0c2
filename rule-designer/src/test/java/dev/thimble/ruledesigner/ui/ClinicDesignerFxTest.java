package dev.thimble.ruledesigner.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.ruledesigner.ClinicHostAccess;
import dev.thimble.ruledesigner.HostLiveData;
import dev.thimble.ruledesigner.Permission;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.testing.Eventually;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.thimble.ruledesigner.ui.FxSupport.ROBOT;
import static dev.thimble.ruledesigner.ui.FxSupport.fx;
import static dev.thimble.ruledesigner.ui.FxSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds the clinic's patients rule (doctor, nurse, administrator) in the designer from an empty
 * collection, saves it to the bundle, reloads the real server, and checks that a nurse's find over
 * the client API receives exactly the fields her role allows. Renders the designer and the simulator.
 */
class ClinicDesignerFxTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
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
        clinic = ClinicHostAccess.start(temp, true);
        clinic.staff("grey@clinic.example", "doctor", null);
        clinic.staff("joy@clinic.example", "nurse", "cardiology");
        clinic.seedPatients("dr-grey");
        design = RuleDesign.empty("clinic", "patients");
        HostLiveData live = new HostLiveData(clinic.host());
        DesignerWindow window = DesignerWindow.show(clinic, design, live, () -> live.sample("clinic.patients", 50),
                p -> p.designer().setOnSave(ClinicDesignerFxTest::save));
        stage = window.stage();
        designer = window.designer();
        simulator = window.simulator();
        pane = window.pane();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.hideStage();
        clinic.close();
    }

    /** What the Save button does here: writes the rule file as the bundle writer prints it, and reloads the server from the bundle. */
    static void save() {
        try {
            Files.writeString(clinic.appDir().resolve("services/mongodb-atlas/rules/clinic.patients.json"), design.toText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        clinic.reloadFromDisk();
    }

    @Test
    void theClinicRuleBuiltInTheDesignerGivesANurseExactlyHerFields() throws Exception {
        String before = clinic.login("joy@clinic.example");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clinic.findPatients(before))
                .as("no rule yet: every request is denied").hasMessageContaining("403");

        addRole("doctor");
        typeClause(0, "%%user.custom_data.role", "", null);
        click("#apply-when-value-0").write("doctor");
        setClause(1, "doctor_id", "", "%%user.id");
        click("#apply-when-apply");
        permission(Permission.READ, "true");
        permission(Permission.WRITE, "{\"doctor_id\": \"%%user.id\"}");
        permission(Permission.INSERT, "true");
        permission(Permission.DELETE, "false");
        permission(Permission.SEARCH, "false");

        addRole("nurse");
        setClause(0, "%%user.custom_data.role", "", "nurse");
        setClause(1, "ward", "", "%%user.custom_data.ward");
        click("#apply-when-apply");
        for (String f : List.of("_id", "name", "ward", "allergies")) {
            field(f, "true", "");
        }
        field("test_results", "", "{\"%and\": [{\"%%this\": {\"$ne\": \"%%prev\"}}, {\"%%true\": {\"%function\": "
                + "{\"name\": \"appendsOnly\", \"arguments\": [\"%%prev\", \"%%this\"]}}}]}");
        permission(Permission.INSERT, "false");
        permission(Permission.DELETE, "false");
        permission(Permission.SEARCH, "false");

        addRole("administrator");
        setClause(0, "%%user.custom_data.role", "", "admin");
        click("#apply-when-apply");
        for (String f : List.of("_id", "ward", "doctor_id", "waiting_since")) {
            field(f, "true", "");
        }
        permission(Permission.INSERT, "false");
        permission(Permission.DELETE, "false");
        permission(Permission.SEARCH, "false");

        JsonNode example = MAPPER.readTree(ClinicHostAccess.CLINIC.resolve("services/mongodb-atlas/rules/clinic.patients.json").toFile());
        fxRun(() -> pane.designer().tabs().getSelectionModel().select(1));
        filter("a doctor's own patients", "doctor", "{\"doctor_id\": \"%%user.id\"}");
        filter("a nurse's ward", "nurse", "{\"ward\": \"%%user.custom_data.ward\"}");
        assertThat(FxSupport.shoot(stage.getScene(), "rule-designer-filters")).exists();
        fxRun(() -> pane.designer().tabs().getSelectionModel().select(2));
        fxRun(() -> designer.schemaTextProperty().set(example.get("schema").toPrettyString()));
        click("#schema-text-apply");
        fxRun(() -> pane.designer().tabs().getSelectionModel().select(0));
        assertThat(fx(() -> designer.messageProperty().get())).isEmpty();
        assertThat(fx(() -> List.copyOf(designer.expansionSuggestions()))).contains("%%user.custom_data.role", "%%user.custom_data.ward",
                "%%root.doctor_id");

        JsonNode built = MAPPER.readTree(fx(() -> design.toText()));
        assertThat(built.get("roles")).isEqualTo(example.get("roles"));
        assertThat(built.get("filters")).isEqualTo(example.get("filters"));
        assertThat(built.get("schema")).isEqualTo(example.get("schema"));

        click("#save-rule");
        WaitForAsyncUtils.waitForFxEvents();

        List<Document> seen = clinic.findPatients(clinic.login("joy@clinic.example"));
        assertThat(seen).extracting(d -> d.get("name")).containsExactlyInAnyOrder("Ana", "Ben");
        for (Document d : seen) {
            assertThat(d.keySet()).isEqualTo(Set.of("_id", "name", "ward", "allergies"));
        }

        fxRun(() -> designer.select(1));
        assertThat(FxSupport.shoot(stage.getScene(), "rule-designer")).exists();

        fxRun(() -> pane.tabs().getSelectionModel().select(1));
        fxRun(simulator::loadLive);
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> simulator.userProperty().set(simulator.users().stream()
                .filter(u -> u.label().startsWith("joy@clinic.example")).findFirst().orElseThrow()));
        fxRun(() -> simulator.pickDocument(simulator.liveDocuments().get(0)));
        click("#sim-run");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> simulator.outcomeProperty().get())).isEqualTo("PARTIAL by role \"nurse\" (RULES)");
        fxRun(() -> design.setField(1, "diagnosis", com.fasterxml.jackson.databind.node.BooleanNode.TRUE, null));
        click("#sim-what-if");
        WaitForAsyncUtils.waitForFxEvents();
        Eventually.await("the what-if summary", () -> fx(() -> simulator.whatIfSummaryProperty().get()).startsWith("1 user gains"));
        assertThat(fx(() -> simulator.whatIfSummaryProperty().get())).startsWith("1 user gains read on `diagnosis` on 2 documents");
        assertThat(fx(() -> simulator.whatIfProperty().get())).contains("fields +2 -0")
                .contains("joy@clinic.example (local-userpass) on 65b0000000000000000000a1: gains [diagnosis], loses []");
        assertThat(FxSupport.shoot(stage.getScene(), "rule-simulator")).exists();
    }

    private static void addRole(String name) {
        click("#new-role-name").write(name);
        click("#add-role");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> designer.roleNameProperty().get())).isEqualTo(name);
    }

    /** Adds a clause row with the button and fills it; a null value is left for the robot to type. */
    private static void typeClause(int index, String lhs, String op, String value) {
        click("#apply-when-add-clause");
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> {
            ComboBox<?> box = (ComboBox<?>) ROBOT.lookup("#apply-when-lhs-" + index).query();
            box.getEditor().setText(lhs);
            ((ComboBox<?>) ROBOT.lookup("#apply-when-op-" + index).query()).getEditor().setText(op);
            if (value != null) {
                ((TextField) ROBOT.lookup("#apply-when-value-" + index).query()).setText(value);
            }
        });
    }

    private static void setClause(int index, String lhs, String op, String value) {
        typeClause(index, lhs, op, value);
    }

    /** Adds a filter in the filter editor: applies when the user's custom data role is {@code role}. */
    private static void filter(String name, String role, String query) {
        click("#new-filter-name").write(name);
        click("#add-filter");
        WaitForAsyncUtils.waitForFxEvents();
        click("#filter-apply-when-add-clause");
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> {
            ((ComboBox<?>) stage.getScene().lookup("#filter-apply-when-lhs-0")).getEditor().setText("%%user.custom_data.role");
            ((TextField) stage.getScene().lookup("#filter-apply-when-value-0")).setText(role);
            ((javafx.scene.control.TextArea) stage.getScene().lookup("#filter-query")).setText(query);
        });
        click("#filter-apply");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> designer.messageProperty().get())).as(name).isEmpty();
    }

    /** true and false by the document-level toggle; an expression in the expressions pane below the toggles. */
    private static void permission(Permission p, String text) {
        if (text.equals("true") || text.equals("false")) {
            javafx.scene.control.CheckBox toggle = (javafx.scene.control.CheckBox) fx(() -> stage.getScene().lookup("#toggle-" + p.key()));
            if (fx(toggle::isSelected) != text.equals("true") || fx(() -> designer.permissionProperty(p).get()).isEmpty()) {
                if (fx(toggle::isSelected) == text.equals("true")) {
                    click("#toggle-" + p.key()); // unset: tick twice to write the value
                }
                click("#toggle-" + p.key());
            }
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(fx(() -> designer.permissionProperty(p).get()).replaceAll("\\s", "")).as(p.key()).isEqualTo(text.replaceAll("\\s", ""));
            assertThat(fx(() -> designer.messageProperty().get())).as(p.key()).isEmpty();
            return;
        }
        // no expansion animation: a click measured while the pane slides open lands beside the field
        fxRun(() -> {
            javafx.scene.control.TitledPane expressions = (javafx.scene.control.TitledPane) stage.getScene().lookup("#permission-expressions");
            expressions.setAnimated(false);
            expressions.setExpanded(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> ((TextField) ROBOT.lookup("#permission-" + p.key()).query()).setText(text));
        click("#permission-" + p.key()).type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> designer.messageProperty().get())).as(p.key()).isEmpty();
        assertThat(fx(() -> designer.permissionProperty(p).get()).replaceAll("\\s", "")).as(p.key()).isEqualTo(text.replaceAll("\\s", ""));
    }

    private static void field(String path, String read, String write) {
        fxRun(() -> {
            ((ComboBox<?>) ROBOT.lookup("#new-field-path").query()).getEditor().setText(path);
            ((TextField) ROBOT.lookup("#new-field-read").query()).setText(read);
            ((TextField) ROBOT.lookup("#new-field-write").query()).setText(write);
        });
        click("#set-field");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> designer.messageProperty().get())).as(path).isEmpty();
    }

    /** Finds the node on the JavaFX thread (a lookup from the test thread can race a layout pass), then clicks it. */
    private static org.testfx.api.FxRobotInterface click(String id) {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node node = fx(() -> stage.getScene().lookup(id));
        assertThat(node).as(id).isNotNull();
        return ROBOT.clickOn(node);
    }
}
