package dev.thimble.runtime.admin;

import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.WriteOptions;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * Export: the app as a zip, written by the same service-layer export as {@code thimble export} (secret
 * values never included), with a {@code Content-Disposition} filename. {@code template=true} leaves out
 * ids as a template; {@code source_control=true} answers the same git-friendly layout as a plain export.
 */
final class ExportResource {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private ExportResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get("/groups/{groupId}/apps/{appId}/export", APP, call -> {
            boolean template = call.flag("template");
            if (template && call.flag("source_control")) {
                throw ApiError.badRequest("InvalidRequest", "template and source_control cannot be used together.");
            }
            Path folder = Files.createTempDirectory("thimble-admin-export");
            Path zip = folder.resolve("app.zip");
            try {
                call.app().editor().export(zip, template ? WriteOptions.TEMPLATE : WriteOptions.EXPORT);
                byte[] bytes = Files.readAllBytes(zip);
                String filename = call.app().editor().model().name() + "_" + STAMP.format(context.clock().instant()) + ".zip";
                var exchange = call.exchange();
                exchange.setStatusCode(200);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/zip");
                exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=" + filename);
                exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
            } finally {
                Files.deleteIfExists(zip);
                Files.deleteIfExists(folder);
            }
        });
    }
}
