package dev.thimble.runtime.app;

import com.oracle.js.parser.ErrorManager;
import com.oracle.js.parser.JSErrorType;
import com.oracle.js.parser.Lexer;
import com.oracle.js.parser.Parser;
import com.oracle.js.parser.ParserException;
import com.oracle.js.parser.ScriptEnvironment;
import com.oracle.js.parser.Source;
import com.oracle.js.parser.Token;
import com.oracle.js.parser.TokenType;

/**
 * GraalJS's own JavaScript parser ({@code com.oracle.js.parser} in the js-language jar), called directly:
 * the same grammar, options and error messages as a GraalJS context's {@code parse}, without starting
 * Truffle, the JavaScript language or an engine (seconds on a cold JVM; this takes milliseconds). What a
 * context does on top of the parser is to validate regular-expression literals with its regex engine:
 * a source that has any is reported as such, and {@link JavaScriptSyntax} lets a context check it.
 * Only usable when the parser's package is readable from here: on the class path it is; with GraalJS on
 * the module path it needs {@code --add-exports org.graalvm.js/com.oracle.js.parser=ALL-UNNAMED}
 * ({@link #available()}). Decision 0023.
 */
final class GraalJsParser {
    /** GraalJS 25's default ECMAScript version (2025; GraalJS counts 2015 as 6). */
    private static final int ECMASCRIPT_2025 = 16;
    private static final boolean AVAILABLE = readable();

    /** The first error of a parse: the message as a GraalJS context words it, and where (a character offset, -1 when unknown). */
    record Failure(String message, boolean syntaxError, int position, int length) {
    }

    /** A parse's outcome: its first error or null, and whether the source holds regular-expression literals (not validated here). */
    record Outcome(Failure failure, boolean hasRegexLiterals) {
    }

    private GraalJsParser() {
    }

    /** Whether the parser can be called from this module (see the class comment). */
    static boolean available() {
        return AVAILABLE;
    }

    private static boolean readable() {
        try {
            Class<?> parser = Class.forName("com.oracle.js.parser.Parser", false, GraalJsParser.class.getClassLoader());
            return parser.getModule().isExported("com.oracle.js.parser", GraalJsParser.class.getModule());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Parses {@code text} as a script named {@code name}; never runs it. Call only when {@link #available()}. */
    static Outcome parse(String text, String name) {
        return Direct.parse(text, name);
    }

    /**
     * Everything that touches the parser's classes, apart so that this class loads and links (and
     * {@link #available()} answers) also where the parser's package is not readable.
     */
    private static final class Direct {
        static Outcome parse(String text, String name) {
            ErrorManager.StringBuilderErrorManager errors = new ErrorManager.StringBuilderErrorManager();
            errors.setLimit(0);
            RegexNoticingParser parser = new RegexNoticingParser(environment(), Source.sourceFor(name, text, false), errors);
            try {
                parser.parse();
            } catch (ParserException e) {
                errors.error(e); // GraalJS's limit 0 reports through the manager; a thrown one is the same first error
            }
            ParserException first = errors.getParserException();
            if (!errors.hasErrors() && first == null) {
                return new Outcome(null, parser.sawRegex);
            }
            if (first == null) {
                return new Outcome(new Failure("SyntaxError: " + errors.getOutput(), true, -1, 0), parser.sawRegex);
            }
            boolean reference = first.getErrorType() == JSErrorType.ReferenceError;
            // as GraalJSParserHelper.throwErrors: a ReferenceError carries its own message, a SyntaxError the manager's output
            String message = reference ? "ReferenceError: " + first.getMessage() : "SyntaxError: " + errors.getOutput();
            int position = first.getPosition();
            int length = position < 0 || Token.descType(first.getToken()) == TokenType.EOL ? 0 : Token.descLength(first.getToken());
            return new Outcome(new Failure(message, !reference, position, length), parser.sawRegex);
        }

        /** GraalJS's defaults for a script (JSParserOptions of a default context). */
        private static ScriptEnvironment environment() {
            return ScriptEnvironment.builder()
                    .strict(false)
                    .ecmaScriptVersion(ECMASCRIPT_2025)
                    .emptyStatements(false)
                    .syntaxExtensions(false)
                    .scripting(false)
                    .shebang(true)
                    .constAsVar(false)
                    .allowBigInt(true)
                    .annexB(true)
                    .classFields(true)
                    .importAttributes(true)
                    .importAssertions(false)
                    .privateFieldsIn(true)
                    .topLevelAwait(false)
                    .v8Intrinsics(false)
                    .functionStatementBehavior(ScriptEnvironment.FunctionStatementBehavior.ACCEPT)
                    .build();
        }

        /** The parser, noting regular-expression literals (a context validates them with its regex engine; this cannot). */
        private static final class RegexNoticingParser extends Parser {
            boolean sawRegex;

            RegexNoticingParser(ScriptEnvironment environment, Source source, ErrorManager errors) {
                super(environment, source, errors);
            }

            @Override
            protected void validateLexerToken(Lexer.LexerToken token) {
                if (token instanceof Lexer.RegexToken) {
                    sawRegex = true;
                }
            }
        }
    }
}
