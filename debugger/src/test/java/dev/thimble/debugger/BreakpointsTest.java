package dev.thimble.debugger;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user's breakpoint state: edits, change notices, and the workspace document it is kept in. */
class BreakpointsTest {

    @Test
    void theWorkspaceDocumentRestoresEveryKindOfBreakpoint() {
        Breakpoints b = new Breakpoints();
        b.set(Breakpoints.Line.at("functions/b/source.js", 9).withCondition("x > 1").withIgnoreCount(2));
        b.set(Breakpoints.Line.at("functions/a/source.js", 3).withEnabled(false));
        b.breakOnEntry("a", true);
        b.breakOnExceptions(false, true);

        Breakpoints restored = Breakpoints.fromDocument(BsonDocument.parse(b.toDocument().toJson()));

        assertThat(restored.lines()).containsExactly(
                new Breakpoints.Line("functions/a/source.js", 3, null, false, 0),
                new Breakpoints.Line("functions/b/source.js", 9, "x > 1", true, 2));
        assertThat(restored.entryFunctions()).containsExactly("a");
        assertThat(restored.breaksOnCaughtExceptions()).isFalse();
        assertThat(restored.breaksOnUncaughtExceptions()).isTrue();
    }

    @Test
    void toggleAddsThenRemovesAndEveryChangeIsAnnounced() {
        Breakpoints b = new Breakpoints();
        List<Integer> sizes = new ArrayList<>();
        b.addListener(() -> sizes.add(b.lines().size()));

        assertThat(b.toggle("functions/a/source.js", 4)).isTrue();
        assertThat(b.toggle("functions/a/source.js", 4)).isFalse();

        assertThat(sizes).containsExactly(1, 0);
    }

    @Test
    void aBreakpointOutsideAFunctionSourceIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Breakpoints.Line.at("services/x/config.json", 2))
                .hasMessageContaining("functions/<name>/source.js");
        assertThatThrownBy(() -> Breakpoints.Line.at("functions/a/source.js", 0)).hasMessageContaining("line must be 1 or more");
        assertThatThrownBy(() -> Breakpoints.fromDocument(new BsonDocument("lines", new BsonArray(List.of(
                new BsonDocument("path", new BsonString("functions/a/source.js")))))))
                .hasMessageContaining("lines[0] needs a string path and a number line");
    }
}
