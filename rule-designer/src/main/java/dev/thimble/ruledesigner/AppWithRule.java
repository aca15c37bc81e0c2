package dev.thimble.ruledesigner;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.ServiceDef;

import java.util.ArrayList;
import java.util.List;

/** The app as it would be with one collection rule replaced (or added): what an unsaved edit would serve. */
public final class AppWithRule {
    private AppWithRule() {
    }

    /** {@code app} with {@code rule} as the rule of its namespace in MongoDB service {@code service}. */
    public static AppModel of(AppModel app, String service, CollectionRuleDef rule) {
        if (app.service(service).filter(ServiceDef::isMongo).isEmpty()) {
            throw new DesignException("service", "the app has no MongoDB service \"" + service + "\"; rules live in a mongodb-atlas service");
        }
        List<ServiceDef> services = new ArrayList<>();
        for (ServiceDef s : app.services()) {
            if (!s.name().equals(service)) {
                services.add(s);
                continue;
            }
            List<CollectionRuleDef> rules = new ArrayList<>();
            boolean replaced = false;
            for (CollectionRuleDef r : s.collectionRules()) {
                if (r.namespace().equals(rule.namespace())) {
                    rules.add(rule);
                    replaced = true;
                } else {
                    rules.add(r);
                }
            }
            if (!replaced) {
                rules.add(rule);
            }
            services.add(new ServiceDef(s.config(), rules, s.defaultRule(), s.serviceRules(), s.webhooks()));
        }
        return new AppModel(app.metadata(), app.authProviders(), app.functions(), services, app.triggers(), app.values(),
                app.secretNames(), app.environments(), app.endpoints(), app.otherFiles());
    }
}
