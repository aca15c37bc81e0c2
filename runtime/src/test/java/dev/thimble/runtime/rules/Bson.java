package dev.thimble.runtime.rules;

import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import org.bson.Document;

/** Test shorthand: JSON with single quotes into BSON documents and rule definitions. */
final class Bson {
    private Bson() {
    }

    static Document doc(String json) {
        return Document.parse(json);
    }

    static CollectionRuleDef rule(String json) {
        return new CollectionRuleDef(Json.parse(Document.parse(json).toJson()));
    }

    static Json json(String json) {
        return Json.parse(Document.parse(json).toJson());
    }
}
