package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change between two apps, said the way it matters to the app's users.
 *
 * @param subject what kind of entity changed
 * @param name    which one: a function, trigger, value, secret, provider or service name; a rule's
 *                {@code <service>/<db>.<collection>} (or {@code <service>/default} for the default rule);
 *                a webhook's or service rule's {@code <service>/<name>}; an endpoint's {@code <METHOD> <route>};
 *                an environment's tag; a file's bundle-relative path; "" for the app settings
 * @param kind    added, removed, changed or renamed
 * @param field   where inside the entity, e.g. {@code roles.nurse.fields.diagnosis.read} or {@code config.match};
 *                "" for the entity as a whole
 * @param summary the change in a sentence, e.g. "role `nurse` gains read on `diagnosis`"
 * @param before  the old value where it helps and is not secret, else null
 * @param after   the new value where it helps and is not secret, else null
 */
public record Change(Subject subject, String name, Kind kind, String field, String summary, JsonNode before, JsonNode after) {

    /** What kind of entity changed; {@link #label()} heads its section in the text rendering. */
    public enum Subject {
        APP("app settings"),
        AUTH_PROVIDER("auth providers"),
        FUNCTION("functions"),
        RULE("rules"),
        TRIGGER("triggers"),
        VALUE("values"),
        SECRET("secrets"),
        SERVICE("services"),
        WEBHOOK("incoming webhooks"),
        ENDPOINT("HTTPS endpoints"),
        ENVIRONMENT("environments"),
        FILE("other files");

        private final String label;

        Subject(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The name in the JSON rendering, e.g. {@code auth_provider}. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Kind {
        ADDED("+"), REMOVED("-"), CHANGED("~"), RENAMED(">");

        private final String mark;

        Kind(String mark) {
            this.mark = mark;
        }

        /** The one-character mark in front of a change in the text rendering. */
        public String mark() {
            return mark;
        }

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
