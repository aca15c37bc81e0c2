package dev.thimble.runtime.diff;

import dev.thimble.runtime.app.Problem;

import java.nio.file.Path;
import java.util.List;

/**
 * A bundle could not be compared because it could not be read as it is: missing, not a bundle, or a
 * part of it unreadable (a diff that skipped that part would report changes nobody made).
 * {@link #problems()} say which file and field, and why.
 */
public final class UnreadableBundleException extends Exception {
    private final transient Path bundle;
    private final transient List<Problem> problems;

    public UnreadableBundleException(Path bundle, List<Problem> problems) {
        super(message(bundle, problems), null, false, false);
        this.bundle = bundle;
        this.problems = List.copyOf(problems);
    }

    public Path bundle() {
        return bundle;
    }

    /** The read errors, each with its file, field and reason. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(Path bundle, List<Problem> problems) {
        StringBuilder text = new StringBuilder("cannot read the app bundle " + bundle + " (" + problems.size() + " error"
                + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  ").append(p));
        return text.toString();
    }
}
