package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.Json;

/** Rule JSON as text, printed by the runtime's own bundle printer so that the designer and the files agree. */
final class RuleText {
    private RuleText() {
    }

    static String print(ObjectNode rule) {
        return Json.of(rule).toFileText();
    }
}
