package dev.thimble.runtime.admin;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.apps.AppEditor;
import dev.thimble.runtime.app.AppMerge;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.diff.BundleChanges;
import dev.thimble.runtime.diff.BundleDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * Import: the request body is an exported app's zip (any layout {@code thimble import} reads); with
 * {@code strategy=replace} (the default) it replaces the app's configuration, keeping its client app
 * id, through the service layer (refused with the validator's messages when it would leave errors;
 * nothing changes then); its secret values go to the home's secret store. {@code diff=true} answers
 * the changes the import would make (the semantic diff of {@code dev.thimble.runtime.diff}: what
 * changes for users, entity by entity; secrets by name only) without applying them.
 * {@code strategy=merge} merges the zip into the app instead ({@link AppMerge}: the zip's entities
 * replace same-named ones, all others stay), so a zip may carry only what changes; with
 * {@code diff=true} it answers the semantic diff of the app before and after that merge. The admin
 * record of an applied import lists its changes.
 */
final class ImportResource {
    /** How many of an import's changes its admin record spells out. */
    private static final int AUDITED_CHANGES = 10;
    /** An exported app's zip may be large (function packages); beyond this it is refused. */
    static final int ZIP_LIMIT = 64 * 1024 * 1024;

    private ImportResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.post("/groups/{groupId}/apps/{appId}/import", APP, call -> {
            String strategy = call.query("strategy") == null ? "replace" : call.query("strategy");
            if (!strategy.equals("replace") && !strategy.equals("merge")) {
                throw ApiError.badRequest("InvalidRequest", "\"strategy\" is replace or merge, not " + strategy + "; nothing was changed.");
            }
            boolean merge = strategy.equals("merge");
            byte[] zip = call.bytes(ZIP_LIMIT);
            if (zip.length == 0) {
                throw ApiError.badRequest("InvalidRequest", "The request body must be the app's exported zip.");
            }
            Path folder = Files.createTempDirectory("thimble-admin-import");
            Path file = folder.resolve("import.zip");
            try {
                Files.write(file, zip);
                LoadResult loaded = AppBundles.readZip(file, call.app().clientAppId());
                if (loaded.app() == null || !loaded.readErrors().isEmpty()) {
                    throw ApiError.badRequest("InvalidRequest", "The zip cannot be imported: " + loaded.problems().stream()
                            .filter(Problem::isError).map(Problem::toString).limit(5).collect(Collectors.joining("; "))
                            + ". Nothing was changed.");
                }
                AppEditor editor = call.app().editor();
                UnaryOperator<AppModel> result = merge ? current -> AppMerge.merge(current, loaded.app()) : current -> loaded.app();
                AppModel before = editor.model();
                BundleChanges changes = BundleDiff.between(before, result.apply(before));
                if (call.flag("diff")) {
                    // what the import would change, for the app's users, entity by entity; nothing is applied
                    call.ok(changes.toJson());
                    return;
                }
                editor.saveChecked(result);
                for (Map.Entry<String, String> secret : loaded.extractedSecrets().entrySet()) {
                    editor.setSecret(secret.getKey(), secret.getValue());
                }
                context.audit().changed(call, call.app(), "imported a zip (strategy " + strategy + ", " + zip.length + " bytes): "
                        + summary(changes));
                call.noContent();
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            }
        });
    }

    /** The changes in one line for the admin record: how many, and the first few sentences. */
    private static String summary(BundleChanges changes) {
        if (changes.isEmpty()) {
            return "no changes";
        }
        String first = changes.changes().stream().limit(AUDITED_CHANGES).map(c -> c.name() + ": " + c.summary())
                .collect(Collectors.joining("; "));
        int more = changes.changes().size() - AUDITED_CHANGES;
        return changes.changes().size() + " change(s): " + first + (more > 0 ? "; and " + more + " more" : "");
    }
}
