package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.EndpointDef;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.app.WebhookDef;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The items of an app, by the category the explorer shows them under, each list in the model's (name) order. */
public final class AppItems {

    /** The explorer's top-level groups, in the order shown. */
    public enum Category {
        FUNCTIONS("Functions"),
        RULES("Rules"),
        VALUES("Values"),
        SECRETS("Secrets"),
        TRIGGERS("Triggers"),
        WEBHOOKS_AND_ENDPOINTS("Webhooks & endpoints"),
        AUTH_PROVIDERS("Auth providers"),
        SERVICES("Services"),
        ENVIRONMENTS("Environments");

        private final String label;

        Category(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private AppItems() {
    }

    public static Map<Category, List<EditableItem>> byCategory(AppModel app) {
        Map<Category, List<EditableItem>> groups = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            groups.put(c, new ArrayList<>());
        }
        app.functions().forEach(f -> groups.get(Category.FUNCTIONS).add(new EditableItem.Function(f.name())));
        for (ServiceDef service : app.services()) {
            for (CollectionRuleDef rule : service.collectionRules()) {
                groups.get(Category.RULES).add(new EditableItem.CollectionRule(service.name(), rule.namespace()));
            }
            if (service.defaultRule() != null) {
                groups.get(Category.RULES).add(new EditableItem.DefaultRule(service.name()));
            }
            for (ServiceRuleDef rule : service.serviceRules()) {
                groups.get(Category.RULES).add(new EditableItem.ServiceRule(service.name(), rule.name()));
            }
            for (WebhookDef webhook : service.webhooks()) {
                groups.get(Category.WEBHOOKS_AND_ENDPOINTS).add(new EditableItem.Webhook(service.name(), webhook.name()));
            }
            groups.get(Category.SERVICES).add(new EditableItem.Service(service.name()));
        }
        for (EndpointDef endpoint : app.endpoints()) {
            groups.get(Category.WEBHOOKS_AND_ENDPOINTS).add(new EditableItem.Endpoint(endpoint.httpMethod(), endpoint.route()));
        }
        if (!app.values().isEmpty()) {
            groups.get(Category.VALUES).add(new EditableItem.Values());
        }
        app.secretNames().forEach(n -> groups.get(Category.SECRETS).add(new EditableItem.Secret(n)));
        app.triggers().forEach(t -> groups.get(Category.TRIGGERS).add(new EditableItem.Trigger(t.name())));
        app.authProviders().forEach(p -> groups.get(Category.AUTH_PROVIDERS).add(new EditableItem.AuthProvider(p.name())));
        for (EnvironmentDef environment : app.environments()) {
            groups.get(Category.ENVIRONMENTS).add(new EditableItem.Environment(environment.tag()));
        }
        return groups;
    }

    /** Every item, the app settings first. */
    public static List<EditableItem> all(AppModel app) {
        List<EditableItem> all = new ArrayList<>();
        all.add(new EditableItem.AppSettings());
        byCategory(app).values().forEach(all::addAll);
        return all;
    }
}
