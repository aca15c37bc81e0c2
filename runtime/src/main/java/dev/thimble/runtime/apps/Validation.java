package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The problems of the bundle on disk, with the same messages as {@code thimble validate}.
 *
 * @param byItem            the problems grouped by the item whose editor shows them (problems in
 *                          files no editor shows are only in {@code problems})
 * @param secretsWithValues the secrets the local store has values for
 */
public record Validation(List<Problem> problems, Map<EditableItem, List<Problem>> byItem, Set<String> secretsWithValues) {
    public Validation {
        problems = List.copyOf(problems);
        Map<EditableItem, List<Problem>> copy = new LinkedHashMap<>();
        byItem.forEach((item, list) -> copy.put(item, List.copyOf(list)));
        byItem = java.util.Collections.unmodifiableMap(copy);
        secretsWithValues = Set.copyOf(secretsWithValues);
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    /** The item whose editor shows {@code problem}, if any. */
    public Optional<EditableItem> itemOf(Problem problem) {
        return byItem.entrySet().stream().filter(e -> e.getValue().contains(problem)).map(Map.Entry::getKey).findFirst();
    }
}
