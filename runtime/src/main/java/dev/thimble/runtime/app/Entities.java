package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** Accepting one entity config read from a bundle: normalise its aliases, check its fields, check its name can name a file. */
final class Entities {
    private Entities() {
    }

    /**
     * The config in model form, or empty when it is unusable (a required field is missing or
     * mistyped, a service rule's {@code when} does not parse, its name cannot be a file name);
     * every problem is reported to {@code ctx}.
     */
    static Optional<ObjectNode> accept(EntityKind kind, ObjectNode config, String file, String prefix, BundleReadContext ctx) {
        Normalisation.ids(config);
        if (kind == EntityKind.TRIGGER) {
            Normalisation.trigger(config, file, prefix, ctx);
        }
        if (kind == EntityKind.SERVICE_RULE && !Normalisation.serviceRuleWhen(config, file, prefix, ctx)) {
            return Optional.empty();
        }
        if (!kind.check(config, file, prefix, ctx)) {
            return Optional.empty();
        }
        String nameField = switch (kind) {
            case AUTH_PROVIDER -> config.path("name").isTextual() ? "name" : "type";
            case FUNCTION, SERVICE, SERVICE_RULE, WEBHOOK, TRIGGER, VALUE -> "name";
            default -> null;
        };
        String problem = null;
        String field = nameField;
        if (kind == EntityKind.FUNCTION) {
            problem = BundlePaths.functionNameProblem(config.path("name").asText());
        } else if (nameField != null) {
            problem = BundlePaths.segmentProblem(config.path(nameField).asText());
        } else if (kind == EntityKind.COLLECTION_RULE) {
            field = "database";
            problem = BundlePaths.segmentProblem(config.path("database").asText());
            if (problem == null) {
                field = "collection";
                problem = BundlePaths.segmentProblem(config.path("collection").asText());
            }
        }
        if (problem != null) {
            ctx.error(file, BundleReadContext.path(prefix, field), problem + "; the " + kind.label() + " is skipped, rename it");
            return Optional.empty();
        }
        return Optional.of(config);
    }
}
