package dev.thimble.runtime.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks an app model before it runs: required fields, names that must be unique, references that
 * must resolve (functions, services, values, secrets), JavaScript that must parse (never run), and
 * rule expressions that must use only known operators and expansions. Reports every problem it
 * finds, never only the first, each with the file, the field path inside it, and what to do.
 * Stateless and thread-safe.
 */
public final class BundleValidator {

    /**
     * The problems of a read bundle: those found while reading, then those found here.
     *
     * @param secretsWithValues the secrets the local secret store has values for (possibly none): each
     *                          referenced secret not in it gets a "has no local value" warning
     */
    public List<Problem> validate(LoadResult loaded, Set<String> secretsWithValues) {
        if (loaded.app() == null) {
            return loaded.problems();
        }
        Findings findings = new Findings(loaded, secretsWithValues);
        try (JavaScriptSyntax javaScript = new JavaScriptSyntax()) {
            new BundleChecks(findings, javaScript).checkAll();
        }
        List<Problem> all = new ArrayList<>(loaded.problems());
        for (Problem problem : findings.problems()) {
            if (!all.contains(problem)) {
                all.add(problem);
            }
        }
        return List.copyOf(all);
    }

    /** {@link #validate(LoadResult, Set)} without knowing which secrets have values. */
    /** The problems of a read bundle when it is unknown which secrets have values: no "no local value" warnings. */
    public List<Problem> validate(LoadResult loaded) {
        return validate(loaded, null);
    }
}
