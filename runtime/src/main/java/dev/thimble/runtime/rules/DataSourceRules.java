package dev.thimble.runtime.rules;

import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled rules of one MongoDB data source (a {@code mongodb-atlas} service): each collection's
 * own roles, else the default rule's, else none. A collection whose rule file has roles never falls
 * through to the default roles when none of them applies; one whose rule has no roles (typically a
 * {@code schema.json} with no {@code rules.json} beside it) takes the default rule's roles and filters
 * and keeps its own schema: the default rule applies to every collection without roles of its own.
 */
public final class DataSourceRules {
    private final Map<String, CollectionRules> collections;
    private final CollectionRules defaultRule;

    private DataSourceRules(Map<String, CollectionRules> collections, CollectionRules defaultRule) {
        this.collections = collections;
        this.defaultRule = defaultRule;
    }

    /** @throws RuleCompileException for the first rule that does not compile, naming its namespace */
    public static DataSourceRules compile(ServiceDef service) {
        return compile(service.collectionRules(), service.defaultRule());
    }

    /** @param defaultRule the {@code default_rule.json}, or null when there is none */
    public static DataSourceRules compile(List<CollectionRuleDef> rules, Json defaultRule) {
        Map<String, CollectionRules> collections = new LinkedHashMap<>();
        CollectionRules compiledDefault = defaultRule == null ? null : CollectionRules.compileDefault("*", defaultRule);
        for (CollectionRuleDef rule : rules) {
            CollectionRules own = CollectionRules.compile(rule);
            collections.put(rule.namespace(), compiledDefault != null && !own.hasRoles() ? compiledDefault.withSchemaOf(own) : own);
        }
        return new DataSourceRules(collections, compiledDefault);
    }

    public CollectionRules forNamespace(String database, String collection) {
        return forNamespace(database + "." + collection);
    }

    public CollectionRules forNamespace(String namespace) {
        CollectionRules own = collections.get(namespace);
        if (own != null) {
            return own;
        }
        // not cached: clients name namespaces, and a view over the shared compiled rule costs one object
        return defaultRule == null ? CollectionRules.none(namespace) : defaultRule.forNamespace(namespace);
    }
}
