package dev.thimble.workbench.editors.code;

import org.fxmisc.richtext.model.StyleSpan;
import org.fxmisc.richtext.model.StyleSpans;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HighlighterTest {

    /** Each styled token as "text:class". */
    private static List<String> tokens(Highlighter highlighter, String text) {
        StyleSpans<Collection<String>> spans = highlighter.highlight(text);
        List<String> out = new ArrayList<>();
        int at = 0;
        for (StyleSpan<Collection<String>> span : spans) {
            if (!span.getStyle().isEmpty()) {
                out.add(text.substring(at, at + span.getLength()) + ":" + String.join(",", span.getStyle()));
            }
            at += span.getLength();
        }
        assertThat(at).as("spans cover the text").isEqualTo(text.length());
        return out;
    }

    @Test
    void javaScriptTokensGetTheirClasses() {
        assertThat(tokens(new JavaScriptHighlighter(), "exports = async function(a) { return context.values.get(\"x\") + 1; } // done"))
                .containsExactly("exports:stitch-global", "async:keyword", "function:keyword", "(:bracket", "):bracket", "{:bracket",
                        "return:keyword", "context:stitch-global", "get:call", "(:bracket", "\"x\":string", "):bracket",
                        "1:number", "}:bracket", "// done:comment");
    }

    @Test
    void keywordsInsideStringsAndCommentsStayStringsAndComments() {
        assertThat(tokens(new JavaScriptHighlighter(), "/* return */ 'if' `for ${x}`"))
                .containsExactly("/* return */:comment", "'if':string", "`for ${x}`:string");
    }

    @Test
    void anUnterminatedStringEndsAtTheLineEnd() {
        assertThat(tokens(new JavaScriptHighlighter(), "const s = \"open\nreturn")).contains("\"open:string", "return:keyword");
    }

    @Test
    void jsonKeysAreNotPlainStrings() {
        assertThat(tokens(new JsonHighlighter(), "{\"name\": \"x\", \"n\": -1.5, \"ok\": true}"))
                .containsExactly("{:bracket", "\"name\":json-key", "\"x\":string", "\"n\":json-key", "-1.5:number",
                        "\"ok\":json-key", "true:literal", "}:bracket");
    }

    @Test
    void emptyTextHasNoTokens() {
        assertThat(tokens(new JavaScriptHighlighter(), "")).isEmpty();
    }
}
