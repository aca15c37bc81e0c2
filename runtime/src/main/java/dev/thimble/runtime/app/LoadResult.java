package dev.thimble.runtime.app;

import java.util.List;
import java.util.Map;

/**
 * What reading a bundle gave: the model (null when the bundle could not be read at all), the
 * problems found while reading, the layout it was in, where each entity came from (so later
 * problems can name the original file), and secret values found in the bundle (legacy
 * {@code secrets.json}, inline webhook secrets) that the caller may move into the secret store.
 *
 * @param origins  entity key → bundle-relative file it was read from. Keys: {@code app},
 *                 {@code function:<name>}, {@code function-source:<name>}, {@code service:<name>},
 *                 {@code rule:<svc>/<db>.<coll>}, {@code default-rule:<svc>}, {@code service-rule:<svc>/<name>},
 *                 {@code webhook:<svc>/<name>}, {@code webhook-source:<svc>/<name>}, {@code trigger:<name>},
 *                 {@code value:<name>}, {@code auth-provider:<name>}, {@code environment:<tag>},
 *                 {@code endpoint:<method> <route>}
 */
public record LoadResult(AppModel app, Layout layout, List<Problem> problems,
                         Map<String, String> origins, Map<String, String> extractedSecrets) {
    public LoadResult {
        problems = List.copyOf(problems);
        origins = Map.copyOf(origins);
        extractedSecrets = Map.copyOf(extractedSecrets);
    }

    public boolean hasErrors() {
        return app == null || problems.stream().anyMatch(Problem::isError);
    }

    /**
     * The errors found while reading: each is a part of the bundle that could not be taken as it is
     * (skipped, or mistyped). An import that wrote the app anyway would lose or change it silently,
     * so imports refuse to write while there are any.
     */
    public List<Problem> readErrors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    /** The file an entity came from, or {@code fallback} (the Stitch-layout path) when unknown. */
    public String origin(String key, String fallback) {
        return origins.getOrDefault(key, fallback);
    }
}
