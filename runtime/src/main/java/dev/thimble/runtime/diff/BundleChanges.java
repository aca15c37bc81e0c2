package dev.thimble.runtime.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.diff.Change.Subject;

import java.io.UncheckedIOException;
import java.util.List;

/** The changes between two apps, grouped by subject, with a text and a JSON rendering. */
public final class BundleChanges {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Change> changes;

    BundleChanges(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** Every change, grouped by {@link Subject} in its declared order. */
    public List<Change> changes() {
        return changes;
    }

    /** True when the apps are the same for their users. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public List<Change> of(Subject subject) {
        return changes.stream().filter(c -> c.subject() == subject).toList();
    }

    /**
     * One line per change under a heading per subject, then a count; for equal apps the single line
     * {@code no changes}. Marks: {@code +} added, {@code -} removed, {@code ~} changed, {@code >} renamed.
     */
    public String toText() {
        if (changes.isEmpty()) {
            return "no changes" + System.lineSeparator();
        }
        StringBuilder text = new StringBuilder();
        Subject current = null;
        for (Change change : changes) {
            if (change.subject() != current) {
                current = change.subject();
                text.append(current.label()).append(System.lineSeparator());
            }
            text.append("  ").append(change.kind().mark()).append(' ').append(change.summary()).append(System.lineSeparator());
        }
        text.append(changes.size()).append(changes.size() == 1 ? " change" : " changes").append(System.lineSeparator());
        return text.toString();
    }

    /**
     * {@code {"equal": bool, "count": n, "changes": [{subject, name, kind, field, summary, before?, after?}]}};
     * {@code before} and {@code after} only where they help and are not secret.
     */
    public ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("equal", changes.isEmpty());
        root.put("count", changes.size());
        ArrayNode list = root.putArray("changes");
        for (Change change : changes) {
            ObjectNode item = list.addObject();
            item.put("subject", change.subject().jsonName());
            item.put("name", change.name());
            item.put("kind", change.kind().jsonName());
            item.put("field", change.field());
            item.put("summary", change.summary());
            if (change.before() != null) {
                item.set("before", change.before().deepCopy());
            }
            if (change.after() != null) {
                item.set("after", change.after().deepCopy());
            }
        }
        return root;
    }

    /** {@link #toJson()} as indented text. */
    public String toJsonText() {
        try {
            return MAPPER.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return toText();
    }
}
