package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.AppModel;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** What a function sees as {@code context.app}. */
public record AppInfo(String id, String clientAppId, String name, String projectId, String deploymentModel,
                      String providerRegion) {

    /** From the bundle's root config; ids the bundle does not hold (project, internal id) stay empty. */
    public static AppInfo of(AppModel app) {
        return new AppInfo(app.metadata().text("id", ""), app.clientAppId(), app.name(),
                app.metadata().text("group_id", ""), app.deploymentModel(),
                app.metadata().text("provider_region", app.location()));
    }

    public BsonDocument toBson() {
        return new BsonDocument("id", new BsonString(id))
                .append("clientAppId", new BsonString(clientAppId))
                .append("name", new BsonString(name))
                .append("projectId", new BsonString(projectId))
                .append("deployment", new BsonDocument("model", new BsonString(deploymentModel))
                        .append("providerRegion", new BsonString(providerRegion)));
    }
}
