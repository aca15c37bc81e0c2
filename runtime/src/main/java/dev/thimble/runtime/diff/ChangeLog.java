package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.diff.Change.Kind;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.ArrayList;
import java.util.List;

/** Collects the changes of one comparison, for one subject and entity at a time. */
final class ChangeLog {
    private final List<Change> changes = new ArrayList<>();

    /** A recorder for the entity {@code name} of {@code subject}. */
    Entity entity(Subject subject, String name) {
        return new Entity(subject, name);
    }

    List<Change> changes() {
        return changes;
    }

    /** Records the changes of one entity. */
    final class Entity {
        final Subject subject;
        final String name;

        private Entity(Subject subject, String name) {
            this.subject = subject;
            this.name = name;
        }

        void added(String summary, JsonNode after) {
            changes.add(new Change(subject, name, Kind.ADDED, "", summary, null, after));
        }

        void removed(String summary, JsonNode before) {
            changes.add(new Change(subject, name, Kind.REMOVED, "", summary, before, null));
        }

        void renamed(String newName, String summary) {
            changes.add(new Change(subject, name, Kind.RENAMED, "", summary, Values.text(name), Values.text(newName)));
        }

        void changed(String field, String summary, JsonNode before, JsonNode after) {
            changes.add(new Change(subject, name, Kind.CHANGED, field, summary, before, after));
        }

        /** A change whose old and new values are not shown (secrets). */
        void changedHidden(String field, String summary) {
            changes.add(new Change(subject, name, Kind.CHANGED, field, summary, null, null));
        }
    }
}
