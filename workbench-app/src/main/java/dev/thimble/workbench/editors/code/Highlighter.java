package dev.thimble.workbench.editors.code;

import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax colouring by regular expressions: each named group of one pattern is a kind of token, mapped
 * to the CSS style class of the text it matches. Regexes are not a parser: good enough for colour,
 * never used to judge the code (GraalJS does that).
 */
public class Highlighter {
    private final Pattern pattern;
    private final Map<String, String> styleClassByGroup;

    /** @param styleClassByGroup group name in {@code pattern} → style class, in the pattern's group order */
    protected Highlighter(Pattern pattern, Map<String, String> styleClassByGroup) {
        this.pattern = pattern;
        this.styleClassByGroup = styleClassByGroup;
    }

    /** The style classes of every character of {@code text}, as spans covering all of it. */
    public StyleSpans<Collection<String>> highlight(String text) {
        Matcher matcher = pattern.matcher(text);
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        int last = 0;
        while (matcher.find()) {
            String styleClass = styleOf(matcher);
            spans.add(List.of(), matcher.start() - last);
            spans.add(styleClass == null ? List.of() : List.of(styleClass), matcher.end() - matcher.start());
            last = matcher.end();
        }
        spans.add(List.of(), text.length() - last);
        return spans.create();
    }

    private String styleOf(Matcher matcher) {
        for (Map.Entry<String, String> group : styleClassByGroup.entrySet()) {
            if (matcher.group(group.getKey()) != null) {
                return group.getValue();
            }
        }
        return null;
    }

    protected static String words(String... words) {
        return "\\b(?:" + String.join("|", words) + ")\\b";
    }
}
