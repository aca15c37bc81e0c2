package dev.thimble.runtime.apps;

import java.util.Optional;

/**
 * One thing of an app the workbench can show in its explorer and (for most) open in an editor,
 * identified by name rather than by object, so it survives a save that replaces the model.
 * {@link #file()} is its file in the Stitch layout (the layout the workbench saves).
 */
public sealed interface EditableItem {

    /** Which editor opens an item. */
    enum EditorKind { FUNCTION, VALUES, JSON, NONE }

    /** A short label for a tab or a tree row. */
    String title();

    /** The bundle-relative file the item lives in. */
    String file();

    EditorKind editorKind();

    /** The app's root config, {@code stitch.json}. */
    record AppSettings() implements EditableItem {
        public String title() { return "App settings"; }
        public String file() { return "stitch.json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record Function(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "functions/" + name + "/source.js"; }
        public EditorKind editorKind() { return EditorKind.FUNCTION; }
    }

    /** All values at once: they are edited together in one table. */
    record Values() implements EditableItem {
        public String title() { return "Values"; }
        public String file() { return "values"; }
        public EditorKind editorKind() { return EditorKind.VALUES; }
    }

    /** One value ({@code values/<name>.json}); the workbench edits them all at once in {@link Values}. */
    record Value(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "values/" + name + ".json"; }
        public EditorKind editorKind() { return EditorKind.VALUES; }
    }

    /** A secret's name; its value lives in the local secret store, and its editor is not built yet. */
    record Secret(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "secrets.json"; }
        public EditorKind editorKind() { return EditorKind.NONE; }
    }

    record CollectionRule(String service, String namespace) implements EditableItem {
        public String title() { return namespace; }
        public String file() { return "services/" + service + "/rules/" + namespace + ".json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record DefaultRule(String service) implements EditableItem {
        public String title() { return service + " default rule"; }
        public String file() { return "services/" + service + "/default_rule.json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record ServiceRule(String service, String name) implements EditableItem {
        public String title() { return service + ": " + name; }
        public String file() { return "services/" + service + "/rules/" + name + ".json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record Trigger(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "triggers/" + name + ".json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    /** An incoming webhook's config (its source opens nowhere yet). */
    record Webhook(String service, String name) implements EditableItem {
        public String title() { return service + ": " + name; }
        public String file() { return "services/" + service + "/incoming_webhooks/" + name + "/config.json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record Endpoint(String method, String route) implements EditableItem {
        public String title() { return method + " " + route; }
        public String file() { return "http_endpoints/config.json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record AuthProvider(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "auth_providers/" + name + ".json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record Service(String name) implements EditableItem {
        public String title() { return name; }
        public String file() { return "services/" + name + "/config.json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    record Environment(String tag) implements EditableItem {
        public String title() { return tag; }
        public String file() { return "environments/" + tag + ".json"; }
        public EditorKind editorKind() { return EditorKind.JSON; }
    }

    /**
     * The item an entity key of {@link dev.thimble.runtime.app.LoadResult#origins()} names, e.g.
     * {@code function-source:addItem} or {@code rule:mongodb-atlas/todo.items}.
     */
    static Optional<EditableItem> fromOriginKey(String key) {
        if (key.equals("app")) {
            return Optional.of(new AppSettings());
        }
        int colon = key.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String kind = key.substring(0, colon);
        String rest = key.substring(colon + 1);
        int slash = rest.indexOf('/');
        String service = slash < 0 ? rest : rest.substring(0, slash);
        String inService = slash < 0 ? "" : rest.substring(slash + 1);
        return Optional.ofNullable(switch (kind) {
            case "function", "function-source" -> new Function(rest);
            case "value" -> new Values();
            case "trigger" -> new Trigger(rest);
            case "auth-provider" -> new AuthProvider(rest);
            case "service" -> new Service(rest);
            case "environment" -> new Environment(rest);
            case "default-rule" -> new DefaultRule(rest);
            case "rule" -> slash < 0 ? null : new CollectionRule(service, inService);
            case "service-rule" -> slash < 0 ? null : new ServiceRule(service, inService);
            case "webhook", "webhook-source" -> slash < 0 ? null : new Webhook(service, inService);
            case "endpoint" -> {
                int space = rest.indexOf(' ');
                yield space < 0 ? null : new Endpoint(rest.substring(0, space), rest.substring(space + 1));
            }
            default -> null;
        });
    }
}
