package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.expressions.ExpressionVocabulary;
import dev.thimble.runtime.expressions.ExpressionWalker;
import dev.thimble.runtime.expressions.ExpressionWalker.Site;
import dev.thimble.runtime.expressions.ExpressionWalker.Slot;

import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;

import static dev.thimble.runtime.app.Findings.describe;
import static dev.thimble.runtime.app.Findings.quoted;
import static dev.thimble.runtime.expressions.ExpressionWalker.child;
import static dev.thimble.runtime.expressions.ExpressionWalker.index;

/** Checks rule documents (roles, filters) and every rule expression (STITCH-SPEC §2). */
final class RuleChecks {

    static final int MAX_ROLE_NAME = 100;

    /** Query operators mongo-java-server rejects (STACK.md, "Fails"). */
    private static final Set<String> EMBEDDED_UNSUPPORTED = Set.of("$text", "$near", "$nearSphere");

    private enum ProjectionKind { NONE, INCLUSION, EXCLUSION, MIXED }

    private final Findings findings;

    RuleChecks(Findings findings) {
        this.findings = findings;
    }

    /** A collection rule or default rule: the shape of its roles and filters, then every expression in it. */
    void ruleDocument(String file, JsonNode rule) {
        JsonNode roles = rule.get("roles");
        if (roles != null && !roles.isArray()) {
            findings.error(file, "roles", "expected an array of roles, found " + describe(roles));
        } else if (roles != null) {
            for (int i = 0; i < roles.size(); i++) {
                role(file, index("roles", i), roles.get(i));
            }
        }
        JsonNode filters = rule.get("filters");
        if (filters != null && !filters.isArray()) {
            findings.error(file, "filters", "expected an array of filters, found " + describe(filters));
        } else if (filters != null) {
            filters(file, filters);
        }
        for (Site site : ExpressionWalker.sitesOfRule(rule)) {
            expression(file, site);
        }
    }

    private void role(String file, String path, JsonNode role) {
        if (!role.isObject()) {
            findings.error(file, path, "expected a role object, found " + describe(role));
            return;
        }
        JsonNode name = role.get("name");
        if (name == null || name.isNull()) {
            findings.error(file, child(path, "name"), "\"name\" is missing; every role needs a name (at most "
                    + MAX_ROLE_NAME + " characters)");
        } else if (!name.isTextual() || name.asText().isEmpty()) {
            findings.error(file, child(path, "name"), "expected a role name (at most " + MAX_ROLE_NAME
                    + " characters), found " + describe(name));
        } else if (name.asText().length() > MAX_ROLE_NAME) {
            findings.error(file, child(path, "name"), "role name is " + name.asText().length()
                    + " characters long; at most " + MAX_ROLE_NAME + " are allowed");
        }
        for (String part : new String[] {"additional_fields", "document_filters"}) {
            JsonNode value = role.get(part);
            if (value != null && !value.isObject()) {
                findings.error(file, child(path, part), "expected an object {\"read\": ..., \"write\": ...}, found " + describe(value));
            }
        }
        fields(file, child(path, "fields"), role.get("fields"));
    }

    private void fields(String file, String path, JsonNode fields) {
        if (fields == null) {
            return;
        }
        if (!fields.isObject()) {
            findings.error(file, path, "expected an object of field rules {\"<field>\": {\"read\": ..., \"write\": ...}}, found "
                    + describe(fields));
            return;
        }
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            String fieldPath = child(path, field.getKey());
            if (!field.getValue().isObject()) {
                findings.error(file, fieldPath, "expected a field rule {\"read\": ..., \"write\": ...}, found "
                        + describe(field.getValue()));
            } else {
                fields(file, child(fieldPath, "fields"), field.getValue().get("fields"));
            }
        }
    }

    private void filters(String file, JsonNode filters) {
        ProjectionKind ruleKind = ProjectionKind.NONE;
        String kindSetBy = null;
        for (int i = 0; i < filters.size(); i++) {
            String path = index("filters", i);
            JsonNode filter = filters.get(i);
            if (!filter.isObject()) {
                findings.error(file, path, "expected a filter object {\"name\", \"apply_when\", \"query\", \"projection\"}, found "
                        + describe(filter));
                continue;
            }
            if (filter.get("query") == null || filter.get("query").isNull()) {
                findings.error(file, child(path, "query"),
                        "\"query\" is missing; a filter needs a query, e.g. {\"owner_id\": \"%%user.id\"} (use {} to add no condition)");
            }
            JsonNode projection = filter.get("projection");
            if (projection == null || projection.isNull()) {
                continue;
            }
            String projectionPath = child(path, "projection");
            if (!projection.isObject()) {
                findings.error(file, projectionPath, "expected a projection object, found " + describe(projection));
                continue;
            }
            ProjectionKind kind = kind(projection);
            String label = filterLabel(filter, i);
            if (kind == ProjectionKind.MIXED) {
                findings.error(file, projectionPath, "projection mixes inclusion (1) and exclusion (0); use only 1s or only 0s"
                        + " (only _id may be excluded from an inclusion projection)");
            } else if (kind != ProjectionKind.NONE && ruleKind == ProjectionKind.NONE) {
                ruleKind = kind;
                kindSetBy = label;
            } else if (kind != ProjectionKind.NONE && kind != ruleKind) {
                findings.error(file, projectionPath, label + " " + verb(kind) + " fields but " + kindSetBy + " "
                        + verb(ruleKind) + " fields; all filters of a rule must use the same projection kind");
            }
        }
    }

    private static String filterLabel(JsonNode filter, int index) {
        JsonNode name = filter.get("name");
        return name != null && name.isTextual() ? "filter " + quoted(name.asText()) : "filter #" + (index + 1);
    }

    private static String verb(ProjectionKind kind) {
        return kind == ProjectionKind.INCLUSION ? "includes" : "excludes";
    }

    private static ProjectionKind kind(JsonNode projection) {
        boolean includes = false;
        boolean excludes = false;
        Boolean id = null;
        for (Map.Entry<String, JsonNode> entry : projection.properties()) {
            Optional<Boolean> included = included(entry.getValue());
            if (included.isEmpty()) {
                continue; // $slice, $elemMatch, $meta: neither kind
            }
            if (entry.getKey().equals("_id")) {
                id = included.get();
            } else if (included.get()) {
                includes = true;
            } else {
                excludes = true;
            }
        }
        if (includes && excludes) {
            return ProjectionKind.MIXED;
        }
        if (includes) {
            return ProjectionKind.INCLUSION;
        }
        if (excludes) {
            return ProjectionKind.EXCLUSION;
        }
        if (id != null) {
            return id ? ProjectionKind.INCLUSION : ProjectionKind.EXCLUSION;
        }
        return ProjectionKind.NONE;
    }

    private static Optional<Boolean> included(JsonNode value) {
        if (value.isBoolean()) {
            return Optional.of(value.asBoolean());
        }
        if (value.isNumber()) {
            return Optional.of(value.asDouble() != 0);
        }
        return Optional.empty();
    }

    /** One expression: its type for its slot, then every operator and expansion inside it. */
    void expression(String file, Site site) {
        JsonNode node = site.expression();
        if (site.slot() == Slot.FILTER_QUERY) {
            if (!node.isObject()) {
                findings.error(file, site.path(), "expected a query object, found " + describe(node));
                return;
            }
        } else if (!node.isObject() && !node.isBoolean()) {
            findings.error(file, site.path(), "expected true, false or an expression object, found " + describe(node));
            return;
        }
        ExpressionWalker.walk(site.path(), node, new ExpressionChecks(file, site.slot()));
    }

    private final class ExpressionChecks implements ExpressionWalker.Visitor {
        private final String file;
        private final Slot slot;

        ExpressionChecks(String file, Slot slot) {
            this.file = file;
            this.slot = slot;
        }

        @Override
        public void expansion(String path, String expansion) {
            if (!ExpressionVocabulary.isKnownExpansion(expansion)) {
                String root = ExpressionVocabulary.expansionRoot(expansion);
                findings.error(file, path, "unknown expansion " + quoted(expansion)
                        + didYouMean(root, ExpressionVocabulary.EXPANSION_ROOTS)
                        + "; known expansions: " + String.join(", ", ExpressionVocabulary.EXPANSION_ROOTS));
                return;
            }
            ExpressionVocabulary.valueName(expansion).ifPresent(name -> findings.valueRef(file, path, name));
        }

        @Override
        public void percentOperator(String path, String operator, JsonNode argument) {
            if (!ExpressionVocabulary.PERCENT_OPERATORS.contains(operator)) {
                findings.error(file, path, "unknown operator " + quoted(operator)
                        + didYouMean(operator, ExpressionVocabulary.PERCENT_OPERATORS)
                        + "; known %-operators: " + String.join(", ", ExpressionVocabulary.PERCENT_OPERATORS));
            } else if (operator.equals("%function")) {
                function(path, argument);
            } else if (ExpressionVocabulary.CONVERSION_OPERATORS.contains(operator)) {
                nestedOperator(argument).ifPresent(nested -> findings.error(file, path, operator
                        + " takes a literal or an expansion, not a nested operator (found " + quoted(nested) + ")"));
            } else if (ExpressionVocabulary.ARRAY_OPERATORS.contains(operator) && !argument.isArray()) {
                findings.error(file, path, operator + " expects an array of expressions, found " + describe(argument));
            }
        }

        private void function(String path, JsonNode argument) {
            String usage = "%function expects {\"name\": \"<function>\", \"arguments\": [...]}";
            if (!argument.isObject()) {
                findings.error(file, path, usage + ", found " + describe(argument));
                return;
            }
            JsonNode name = argument.get("name");
            if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                findings.error(file, path, "%function has no \"name\"; " + usage + "; "
                        + findings.functionListing());
            } else {
                findings.functionRef(file, child(path, "name"), name.asText(), "");
            }
            JsonNode arguments = argument.get("arguments");
            if (arguments != null && !arguments.isArray()) {
                findings.error(file, child(path, "arguments"), "\"arguments\" must be an array, found " + describe(arguments));
            }
        }

        private static Optional<String> nestedOperator(JsonNode argument) {
            if (argument.isObject()) {
                for (String key : (Iterable<String>) argument::fieldNames) {
                    boolean percentOperator = key.startsWith("%") && !key.startsWith("%%");
                    boolean dollarOperator = key.startsWith("$") && !ExpressionVocabulary.EJSON_TYPE_KEYS.contains(key);
                    if (percentOperator || dollarOperator) {
                        return Optional.of(key);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public void dollarOperator(String path, String operator, JsonNode argument) {
            if (slot == Slot.FILTER_QUERY) {
                if (!ExpressionVocabulary.QUERY_OPERATORS.contains(operator)) {
                    findings.error(file, path, "unknown query operator " + quoted(operator)
                            + didYouMean(operator, ExpressionVocabulary.QUERY_OPERATORS)
                            + "; a filter query takes MongoDB query operators such as $eq, $in, $and, $or, $regex, $elemMatch");
                } else if (EMBEDDED_UNSUPPORTED.contains(operator)) {
                    findings.warning(file, path, operator + " is not supported by the embedded database; works on a real MongoDB");
                }
            } else if (ExpressionVocabulary.LOGICAL_ALIASES.containsKey(operator)) {
                percentOperator(path, ExpressionVocabulary.LOGICAL_ALIASES.get(operator), argument);
            } else if (!ExpressionVocabulary.COMPARISON_OPERATORS.contains(operator)) {
                String what = ExpressionVocabulary.QUERY_OPERATORS.contains(operator)
                        ? "query operator " + quoted(operator) + " is not allowed in a rule expression"
                        : "unknown operator " + quoted(operator);
                findings.error(file, path, what + didYouMean(operator, ExpressionVocabulary.COMPARISON_OPERATORS)
                        + "; rule expressions take the $-operators " + String.join(", ", ExpressionVocabulary.COMPARISON_OPERATORS)
                        + " and the %-operators " + String.join(", ", ExpressionVocabulary.PERCENT_OPERATORS));
            }
        }
    }

    private static String didYouMean(String unknown, SequencedSet<String> known) {
        return ExpressionVocabulary.suggestion(unknown, known)
                .map(s -> " (did you mean " + quoted(s) + "?)")
                .orElse("");
    }
}
