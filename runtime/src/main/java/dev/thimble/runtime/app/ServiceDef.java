package dev.thimble.runtime.app;

import java.util.List;

/**
 * A service ({@code services/<name>/config.json}) with its rules and incoming webhooks.
 * MongoDB services ({@code mongodb-atlas}, {@code mongodb}) carry collection rules and maybe a
 * default rule; other services carry service rules.
 *
 * @param defaultRule the {@code default_rule.json} ({roles, filters}), or null when there is none
 */
public record ServiceDef(Json config, List<CollectionRuleDef> collectionRules, Json defaultRule,
                         List<ServiceRuleDef> serviceRules, List<WebhookDef> webhooks) {
    public ServiceDef {
        collectionRules = List.copyOf(collectionRules);
        serviceRules = List.copyOf(serviceRules);
        webhooks = List.copyOf(webhooks);
    }
    public String name() { return config.text("name", ""); }
    public String type() { return config.text("type", ""); }
    public boolean isMongo() { return type().equals("mongodb-atlas") || type().equals("mongodb"); }
}
