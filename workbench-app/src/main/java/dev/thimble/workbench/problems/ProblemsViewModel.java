package dev.thimble.workbench.problems;

import dev.thimble.runtime.app.Problem;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The validator's problems of the open app, errors first; opening one asks the window to show its file. */
public final class ProblemsViewModel {
    private static final Pattern LINE_FIELD = Pattern.compile("line (\\d+)");

    private final ObservableList<Problem> problems = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Not validated yet");
    private final Consumer<Problem> opener;

    /** @param opener shows a problem's file in its editor */
    public ProblemsViewModel(Consumer<Problem> opener) {
        this.opener = opener;
    }

    public void show(List<Problem> found) {
        problems.setAll(found.stream()
                .sorted(Comparator.comparing((Problem p) -> !p.isError()).thenComparing(Problem::file))
                .toList());
        long errors = found.stream().filter(Problem::isError).count();
        long warnings = found.size() - errors;
        summary.set(found.isEmpty() ? "No problems" : count(errors, "error") + ", " + count(warnings, "warning"));
    }

    public void clear() {
        problems.clear();
        summary.set("");
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public void open(Problem problem) {
        if (problem != null) {
            opener.accept(problem);
        }
    }

    /** The source line a problem points at (its field is "line N"), if any. */
    public static OptionalInt lineOf(Problem problem) {
        Matcher m = LINE_FIELD.matcher(problem.field());
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    public ObservableList<Problem> problems() {
        return problems;
    }

    /** E.g. "2 errors, 5 warnings" or "No problems". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
