package dev.thimble.runtime.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validation parses with GraalJS's parser called directly (no engine) and must say exactly what a GraalJS
 * context's parse says: the same first error, message, line and column, for what functions really
 * contain and for every kind of mistake. Each source is checked both ways and the answers compared.
 */
class GraalJsParserTest {
    private static final String NAME = "functions/f/source.js";
    private static JavaScriptSyntax direct;
    private static JavaScriptSyntax context;

    @BeforeAll
    static void open() {
        direct = new JavaScriptSyntax(true);
        context = new JavaScriptSyntax(false);
    }

    @AfterAll
    static void close() {
        direct.close();
        context.close();
    }

    static List<String> validSources() {
        return List.of(
                "exports = function(a, b) { return a + b; };",
                "exports = async (x) => { for await (const y of x) {} return x?.length ?? 0; };",
                "'use strict';\nexports = function() { return 1; };",
                "exports = function() {\n  class Box { #v = 1; static #n = 2; get v() { return this.#v; } has(o) { return #v in o; } }\n  return new Box().v;\n};",
                "exports = function*() { yield* [1, 2]; };",
                "const { a, b: [c, ...d], ...rest } = { a: 1, b: [2, 3] };\nexports = () => `${a} ${c} ${d} ${JSON.stringify(rest)}`;",
                "exports = () => 10n ** 2n + BigInt(1_000_000);",
                "exports = function() { with (Math) { return max(1, 2); } };",
                "<!-- an HTML comment, allowed in scripts (Annex B)\nexports = function() { if (true) function inner() {} return 010; };",
                "var let = 1; exports = function() { return let; };",
                "outer: for (const i of [1]) { for (;;) { break outer; } }\nexports = () => new.target;",
                "exports = async function() { const r = await context.functions.execute('x'); return r?.[0]?.(); };",
                "exports = function() { return { get a() { return 1; }, set a(v) {}, ['b' + 1]: 2, async *c() {} }; };",
                "exports = () => { try { throw 1; } catch { return 2; } finally {} };",
                "exports = (s) => s.replace(/a+b/gi, 'x').split(/\\s*,\\s*/u);",
                "exports = (s) => /(?<year>\\d{4})-(?<month>\\d{2})/v.exec(s)?.groups;",
                "// only a comment: never assigns exports",
                "exports = function() { return 1; }\n// done");
    }

    static List<String> brokenSources() {
        return List.of(
                "exports = function(item) {\n  const doc = { text: item.text, ;\n  return doc;\n};",
                "exports = function( { return 1; };",
                "exports = function() {\n  return `unterminated;\n};",
                "exports = function() {\n  return 1 +;\n};",
                "exports = () => {\n  let let = 1;\n};",
                "exports = function() { 1 = 2; };",
                "exports = function() { a?.b = 1; };",
                "exports = function() { let x; let x; };",
                "exports = function() { 'use strict'; with (a) {} };",
                "exports = function() { 'use strict'; var eval = 1; };",
                "exports = function(a, a) { 'use strict'; };",
                "exports = (a, a) => 1;",
                "exports = function() { continue; };",
                "exports = function() { await x; };",
                "import x from 'y';\nexports = x;",
                "export default function() {}",
                "exports = class { constructor() {} constructor() {} };",
                "exports = () => a ?? b || c;",
                "exports = () => 0b2;",
                "exports = () => 1_;",
                "exports = () => '\\u{110000}';",
                "exports = () => {\n  /* never closed\n};",
                "exports = 'unterminated;",
                "exports = function() { return }};",
                "exports = function() { super(); };",
                "exports = () => #x in o;",
                "label: label: x;",
                "exports = function() {\n  if (x) {\n    return 1;\n",
                "exports = () => /(/.test('a');",
                "exports = () => /a/gg;",
                "exports = () => /[/;",
                "exports = () => /\\p{Nope}/u;");
    }

    @ParameterizedTest
    @MethodSource("validSources")
    void aSourceThatParsesParsesBothWays(String source) {
        assertThat(direct.check(source, NAME)).isEmpty();
        assertThat(context.check(source, NAME)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("brokenSources")
    void aBrokenSourceGetsTheSameErrorBothWays(String source) {
        Optional<JavaScriptSyntax.SyntaxError> byContext = context.check(source, NAME);

        assertThat(byContext).as("GraalJS refuses it").isPresent();
        assertThat(direct.check(source, NAME)).isEqualTo(byContext);
    }

    @Test
    void theParserIsCalledDirectlyOnTheClassPath() {
        // surefire runs the tests on the class path, as the installed thimble-cli and ./run-tests do
        assertThat(GraalJsParser.available()).isTrue();
        assertThat(GraalJsParser.parse(JavaScriptSyntax.PREFIX + "exports = 1;" + JavaScriptSyntax.SUFFIX, NAME))
                .isEqualTo(new GraalJsParser.Outcome(null, false));
    }

    @Test
    void aRegularExpressionLiteralIsNotedForTheRegexEngine() {
        assertThat(GraalJsParser.parse(JavaScriptSyntax.PREFIX + "exports = (s) => /(/.test(s);" + JavaScriptSyntax.SUFFIX, NAME))
                .as("the parser alone accepts an unbalanced group").isEqualTo(new GraalJsParser.Outcome(null, true));
        assertThat(direct.check("exports = (s) => /(/.test(s);", NAME)).as("the regex engine does not")
                .hasValueSatisfying(e -> assertThat(e.message()).isNotBlank());
    }
}
