package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.diff.Change.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

import static dev.thimble.runtime.diff.Values.code;

/** The root config (name, client app id, location, allowed origins, custom user data, …) and the files Thimble keeps verbatim. */
final class AppSettingChanges {
    private AppSettingChanges() {
    }

    static void compare(AppModel before, AppModel after, ChangeLog log) {
        ChangeLog.Entity entity = log.entity(Subject.APP, "");
        ObjectNode a = before.metadata().object();
        ObjectNode b = after.metadata().object();
        JsonNode originsBefore = a.path("security").path("allowed_request_origins");
        JsonNode originsAfter = b.path("security").path("allowed_request_origins");
        List<String> was = Values.strings(originsBefore);
        List<String> is = Values.strings(originsAfter);
        List<String> gained = new ArrayList<>(is);
        gained.removeAll(was);
        List<String> lost = new ArrayList<>(was);
        lost.removeAll(is);
        if (!gained.isEmpty()) {
            entity.changed("security.allowed_request_origins", "browsers at " + Values.list(gained) + " may now call the app",
                    originsBefore.isMissingNode() ? null : originsBefore, originsAfter.isMissingNode() ? null : originsAfter);
        }
        if (!lost.isEmpty()) {
            entity.changed("security.allowed_request_origins", "browsers at " + Values.list(lost) + " may no longer call the app",
                    originsBefore.isMissingNode() ? null : originsBefore, originsAfter.isMissingNode() ? null : originsAfter);
        }
        if (a.get("security") instanceof ObjectNode s) {
            s.remove("allowed_request_origins");
        }
        if (b.get("security") instanceof ObjectNode s) {
            s.remove("allowed_request_origins");
        }
        JsonDiff.record(entity, "app settings", "", a, b);
    }

    /** Binary files (hosting images, archives) by path and SHA-256: added, removed, or other bytes. */
    static void binaryFiles(java.util.Map<String, String> before, java.util.Map<String, String> after, ChangeLog log) {
        new java.util.TreeMap<>(before).forEach((path, digest) -> {
            if (!after.containsKey(path)) {
                log.entity(Subject.FILE, path).removed("binary file " + code(path) + " removed", null);
            } else if (!after.get(path).equals(digest)) {
                log.entity(Subject.FILE, path).changed("", "binary file " + code(path) + " changed (other bytes)",
                        Values.text(digest), Values.text(after.get(path)));
            }
        });
        new java.util.TreeMap<>(after).forEach((path, digest) -> {
            if (!before.containsKey(path)) {
                log.entity(Subject.FILE, path).added("binary file " + code(path) + " added", Values.text(digest));
            }
        });
    }

    static void otherFiles(AppModel before, AppModel after, ChangeLog log) {
        SortedMap<String, String> a = before.otherFiles();
        SortedMap<String, String> b = after.otherFiles();
        for (String path : a.keySet()) {
            if (!b.containsKey(path)) {
                log.entity(Subject.FILE, path).removed("file " + code(path) + " removed", null);
            }
        }
        for (String path : b.keySet()) {
            if (!a.containsKey(path)) {
                log.entity(Subject.FILE, path).added("file " + code(path) + " added", null);
            } else if (!Objects.equals(a.get(path), b.get(path))) {
                log.entity(Subject.FILE, path).changed("", "file " + code(path) + " changed (" + SourceLines.summary(a.get(path), b.get(path)) + ")",
                        null, null);
            }
        }
    }
}
