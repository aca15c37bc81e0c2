package dev.thimble.runtime.functions;

import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's own functions that the start-time warm-up may run (decision record 0060), so that their code is warm
 * before the first client calls them, not only the engine's built-in functions'. Only a function whose source
 * cannot reach anything with an effect outside its call qualifies, judged by a conservative scan:
 * <ul>
 *   <li>its whole text (comments and strings included) names no service, other function or HTTP client
 *       ({@code .services}, {@code .functions}, {@code .http}) and none of {@code require}, {@code fetch},
 *       {@code eval}, {@code globalThis}, {@code Function}, {@code constructor};</li>
 *   <li>its code (comments and the text of strings and regular expressions left out, so an error message saying
 *       "this item" does not count) uses {@code context} only as {@code context.values}, {@code .user},
 *       {@code .environment}, {@code .app} or {@code .request} (reads; no {@code context} passed on or indexed), and
 *       none of the words that reach the global object or another module another way: {@code this},
 *       {@code global}, {@code import}, {@code process}, {@code Reflect}, {@code Proxy}, {@code prototype}, ...
 *       A source whose strings or comments do not end is left out;</li>
 *   <li>no run-as script, no syntax problem, not a webhook's or the console's.</li>
 * </ul>
 * The warm-up calls such a function with a few argument shapes in turn (two numbers, two strings, none); a shape
 * the function fails with is not tried again, and a function that failed with all of them or reached the warm-up's
 * short time limit is left out. What a warm-up call returns or logs is dropped (the warm-up's log sink).
 * Used on the engine's warm-up thread only.
 */
final class WarmableFunctions {
    private static final Pattern NAMES_AN_EFFECT = Pattern.compile("\\.\\s*(?:services|functions|http)\\b"
            + "|\\b(?:require|fetch|eval|globalThis|Function|constructor)\\b");
    private static final Pattern CONTEXT = Pattern.compile("\\bcontext\\b");
    private static final Pattern CONTEXT_READ = Pattern.compile("context\\s*\\.\\s*(?:values|user|environment|app|request)\\b");
    private static final Pattern REACHES_OUT = Pattern.compile("\\b(?:this|global|self|import|process|Reflect|Proxy"
            + "|prototype|__proto__|getPrototypeOf|setPrototypeOf|defineProperty|defineProperties|WebAssembly|Atomics"
            + "|SharedArrayBuffer|Java|Polyglot|Packages)\\b");
    /** How many argument shapes there are ({@link #arguments}). */
    private static final int SHAPES = 3;

    private final FunctionSet set;
    private final List<CompiledFunction> functions;
    /** Per function: the argument shape to try next, or {@link #SHAPES} when it is left out. */
    private final int[] shapes;
    private int next;

    private WarmableFunctions(FunctionSet set, List<CompiledFunction> functions) {
        this.set = set;
        this.functions = functions;
        this.shapes = new int[functions.size()];
    }

    static WarmableFunctions of(FunctionSet set) {
        List<CompiledFunction> chosen = new ArrayList<>();
        for (CompiledFunction fn : set.functions.values()) {
            if (fn.problem() == null && fn.runAsScript() == null && fn.runAsScriptText().isBlank()
                    && !fn.name().startsWith(FunctionSet.WEBHOOK_PREFIX) && !fn.name().equals(FunctionSet.SNIPPET_NAME)
                    && cannotReachOut(fn.def().source())) {
                chosen.add(fn);
            }
        }
        return new WarmableFunctions(set, List.copyOf(chosen));
    }

    /** Whether {@code source} passes the scan (see the class comment). */
    static boolean cannotReachOut(String source) {
        if (source == null || NAMES_AN_EFFECT.matcher(source).find()) {
            return false;
        }
        String code = JsCode.withoutTextAndComments(source);
        if (code == null || REACHES_OUT.matcher(code).find()) {
            return false;
        }
        Matcher context = CONTEXT.matcher(code);
        while (context.find()) {
            Matcher read = CONTEXT_READ.matcher(code).region(context.start(), code.length());
            if (!read.lookingAt()) {
                return false;
            }
        }
        return true;
    }

    boolean isFor(FunctionSet other) {
        return set == other;
    }

    /** The functions chosen (for tests), whether or not they are left out by now. */
    List<String> names() {
        return functions.stream().map(CompiledFunction::name).toList();
    }

    /** One warm-up call: which function, with which arguments, and its index for {@link #failed}. */
    record Pick(CompiledFunction function, List<BsonValue> arguments, int index) {
    }

    /** The next function's call, round robin over those not left out; null when none is left. */
    Pick next(long round) {
        for (int tried = 0; tried < functions.size(); tried++) {
            int i = next;
            next = (next + 1) % functions.size();
            if (shapes[i] < SHAPES) {
                return new Pick(functions.get(i), arguments(shapes[i], round), i);
            }
        }
        return null;
    }

    /** The pick's call failed: its shape is not tried again; a time limit leaves the function out. */
    void failed(Pick pick, FunctionError error) {
        boolean stopped = error.kind() == FunctionError.Kind.TIME_LIMIT || error.kind() == FunctionError.Kind.STATEMENT_LIMIT;
        shapes[pick.index()] = stopped ? SHAPES : shapes[pick.index()] + 1;
    }

    private static List<BsonValue> arguments(int shape, long round) {
        return switch (shape) {
            case 0 -> List.of(new BsonInt32((int) (round % 1000)), new BsonInt32(2));
            case 1 -> List.of(new BsonString("warm-up " + round % 1000), new BsonString("w"));
            default -> List.of();
        };
    }
}
