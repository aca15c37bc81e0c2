package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.app.Json;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Helpers the entity routes share: finding an item by its admin id, copying request fields, answering a save. */
final class Entities {
    private Entities() {
    }

    /** The item of {@code items} whose admin id is {@code id}; 404 naming {@code kind} otherwise. */
    static <T> T byId(List<T> items, String id, Function<T, String> idOf, String kind) {
        return find(items, id, idOf).orElseThrow(() -> ApiError.notFound(kind.replace(" ", "") + "NotFound",
                "There is no " + kind + " with id " + id + " in this app (ids come from the list route)."));
    }

    static <T> Optional<T> find(List<T> items, String id, Function<T, String> idOf) {
        return items.stream().filter(i -> idOf.apply(i).equals(id)).findFirst();
    }

    /** {@code base} with each of {@code fields} that the body has copied over. */
    static ObjectNode copy(ObjectNode base, JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                base.set(field, value.deepCopy());
            }
        }
        return base;
    }

    static Json json(ObjectNode node) {
        return Json.of(node);
    }
}
