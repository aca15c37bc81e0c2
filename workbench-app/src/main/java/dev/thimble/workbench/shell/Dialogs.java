package dev.thimble.workbench.shell;

import dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision;
import dev.thimble.workbench.editors.EditorViewModel;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/** The window's dialogs; view-models get them as callbacks, so tests answer with stubs instead. */
public final class Dialogs {
    private final Window owner;

    public Dialogs(Window owner) {
        this.owner = owner;
    }

    /** Save, discard or cancel for an editor with unsaved changes. */
    public CloseDecision askAboutUnsaved(EditorViewModel editor) {
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't save", ButtonBar.ButtonData.NO);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", save, discard, cancel);
        alert.initOwner(owner);
        alert.setTitle("Unsaved changes");
        alert.setHeaderText("Save the changes to " + editor.item().file() + "?");
        alert.setContentText("Your changes are lost if you don't save them.");
        ButtonType answer = alert.showAndWait().orElse(cancel);
        return answer == save ? CloseDecision.SAVE : answer == discard ? CloseDecision.DISCARD : CloseDecision.CANCEL;
    }

    public Optional<Path> chooseAppFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open an app bundle (the folder with stitch.json)");
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }

    public Optional<Path> chooseExportFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export to a new or empty folder");
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }

    public Optional<Path> chooseExportZip(String appName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export as a zip");
        chooser.setInitialFileName(appName + ".zip");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Zip archives", "*.zip"));
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    public Optional<Path> chooseLogExportFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the log records shown");
        chooser.setInitialFileName("logs.json");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    /** Asks before a document is deleted from the database. */
    public boolean confirmDelete(String documentId) {
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.YES);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", delete, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Delete document");
        alert.setHeaderText("Delete the document " + documentId + "?");
        alert.setContentText("It is removed from the database; this cannot be undone.");
        return alert.showAndWait().orElse(ButtonType.CANCEL) == delete;
    }

    /** A new (or empty) folder for an app being created or imported. */
    public Optional<Path> chooseNewAppFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose a new or empty folder for the app");
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }

    /** The folder of an exported app (Stitch, Realm, realm-cli v2 or App Services layout). */
    public Optional<Path> chooseImportSource() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose the exported app's folder (with stitch.json, realm_config.json or root_config.json)");
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }

    /** Asks for a MongoDB connection string; "" means the embedded database; empty when cancelled. */
    public Optional<String> askConnectionString(String current) {
        javafx.scene.control.TextInputDialog dialog = new javafx.scene.control.TextInputDialog("");
        dialog.initOwner(owner);
        dialog.setTitle("Database");
        dialog.setHeaderText("Serve the app on another database\nNow: " + current);
        dialog.setContentText("Connection string (empty for the embedded database):");
        dialog.getEditor().setPromptText("mongodb+srv://user:password@cluster0.example.net/");
        dialog.getEditor().setPrefColumnCount(40);
        return dialog.showAndWait();
    }

    /** Asks for a secret's value in a masked field; empty when cancelled or left empty. */
    public Optional<String> askSecretValue(String name) {
        javafx.scene.control.Dialog<String> dialog = new javafx.scene.control.Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Secret value");
        dialog.setHeaderText("The value of the secret " + name + "\nIt is kept in your local secret store, never in the app bundle or an export.");
        javafx.scene.control.PasswordField field = new javafx.scene.control.PasswordField();
        field.setId("secret-value");
        field.setPromptText("value");
        field.setPrefColumnCount(30);
        dialog.getDialogPane().setContent(field);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.setResultConverter(button -> button == ButtonType.OK ? field.getText() : null);
        javafx.application.Platform.runLater(field::requestFocus);
        return dialog.showAndWait().filter(v -> !v.isEmpty());
    }

    /** An exported app as a zip (Stitch, Realm, realm-cli v2 or App Services). */
    public Optional<Path> chooseImportZip() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose the exported app's zip");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Zip archives", "*.zip"));
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
    }

    /** The New App wizard's answers. */
    public record NewApp(Path folder, boolean fromTemplate) {
    }

    /** The New App wizard: the app's name, the folder it goes in, and what it starts from. */
    public Optional<NewApp> askNewApp(boolean templateAvailable) {
        javafx.scene.control.Dialog<NewApp> dialog = new javafx.scene.control.Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("New App");
        dialog.setHeaderText("A new app bundle: a folder in the Stitch layout you can keep in git.\n"
                + "Add functions, rules and triggers afterwards with File \u203a New (Ctrl+N).");
        javafx.scene.control.TextField name = new javafx.scene.control.TextField("my-app");
        name.setId("new-app-name");
        javafx.scene.control.TextField parent = new javafx.scene.control.TextField(System.getProperty("user.home"));
        parent.setId("new-app-parent");
        parent.setPrefColumnCount(28);
        javafx.scene.control.Button browse = new javafx.scene.control.Button("Browse...");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Where the app's folder goes");
            Optional.ofNullable(chooser.showDialog(owner)).ifPresent(dir -> parent.setText(dir.toString()));
        });
        javafx.scene.control.ChoiceBox<String> start = new javafx.scene.control.ChoiceBox<>();
        start.getItems().add("Blank (no functions, rules or providers yet)");
        if (templateAvailable) {
            start.getItems().add("The to-do example (functions, rules, triggers, a webhook)");
        }
        start.getSelectionModel().selectFirst();
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, fixed(new javafx.scene.control.Label("Name")), name);
        grid.addRow(1, fixed(new javafx.scene.control.Label("In folder")), parent, fixed(browse));
        grid.addRow(2, fixed(new javafx.scene.control.Label("Start from")), fixed(start));
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.setResultConverter(button -> button == ButtonType.OK && !name.getText().isBlank()
                ? new NewApp(Path.of(parent.getText().strip()).resolve(name.getText().strip()), start.getSelectionModel().getSelectedIndex() == 1)
                : null);
        return dialog.showAndWait();
    }

    /** A label or button that keeps its whole text (the dialog's grid otherwise cut them to "Na…"). */
    private static <T extends javafx.scene.control.Control> T fixed(T control) {
        control.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return control;
    }

    /** The Help menu's pages. */
    public void showHelp(HelpTopic topic) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(owner);
        alert.setTitle(HelpTexts.title(topic));
        alert.setHeaderText(HelpTexts.title(topic));
        javafx.scene.control.TextArea text = new javafx.scene.control.TextArea(HelpTexts.text(topic));
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(18);
        text.setPrefColumnCount(60);
        alert.getDialogPane().setContent(text);
        alert.showAndWait();
    }
}
