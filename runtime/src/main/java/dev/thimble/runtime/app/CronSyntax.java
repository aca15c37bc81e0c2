package dev.thimble.runtime.app;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a scheduled trigger's 5-field cron expression (STITCH-SPEC §4): minute, hour,
 * day-of-month, month, weekday; each a comma list of {@code *}, a value or a range, each with an
 * optional {@code /step}; month and weekday also take names ({@code JAN}, {@code MON}); weekday 0
 * and 7 are Sunday. Checks only; the scheduler evaluates.
 */
final class CronSyntax {

    private record Field(String name, int min, int max, List<String> names, int firstNameValue) {
        Field(String name, int min, int max) {
            this(name, min, max, List.of(), 0);
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59),
            new Field("hour", 0, 23),
            new Field("day-of-month", 1, 31),
            new Field("month", 1, 12,
                    List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1),
            new Field("weekday", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 0));

    private CronSyntax() {
    }

    /** Why {@code expression} is not a valid schedule, or empty when it is. */
    static Optional<String> problem(String expression) {
        String[] parts = expression.trim().split("\\s+");
        if (expression.isBlank() || parts.length != FIELDS.size()) {
            int found = expression.isBlank() ? 0 : parts.length;
            return Optional.of("expected 5 fields (minute hour day-of-month month weekday), found " + found);
        }
        for (int i = 0; i < parts.length; i++) {
            Optional<String> problem = fieldProblem(FIELDS.get(i), parts[i]);
            if (problem.isPresent()) {
                return Optional.of(FIELDS.get(i).name() + " field \"" + parts[i] + "\" " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fieldProblem(Field field, String text) {
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                return Optional.of("has an empty list item");
            }
            String base = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                base = item.substring(0, slash);
                String step = item.substring(slash + 1);
                if (!step.matches("\\d{1,3}")) {
                    return Optional.of("has step \"" + step + "\"; a step is a positive number, as in */5");
                }
                if (Integer.parseInt(step) < 1) {
                    return Optional.of("has step 0; a step must be at least 1");
                }
            }
            if (base.equals("*")) {
                continue;
            }
            String[] bounds = base.split("-", -1);
            if (bounds.length > 2) {
                return Optional.of("has \"" + base + "\"; expected a value or a range like 1-5");
            }
            Integer from = null;
            for (String bound : bounds) {
                Optional<Integer> value = value(field, bound);
                if (value.isEmpty()) {
                    return Optional.of("has \"" + bound + "\"; expected " + expected(field));
                }
                if (value.get() < field.min() || value.get() > field.max()) {
                    return Optional.of("is out of range " + field.min() + "-" + field.max());
                }
                if (from != null && from > value.get()) {
                    return Optional.of("has range " + base + " whose start is after its end");
                }
                from = value.get();
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> value(Field field, String text) {
        if (text.matches("\\d{1,4}")) {
            return Optional.of(Integer.parseInt(text));
        }
        int named = field.names().indexOf(text.toUpperCase(Locale.ROOT));
        return named < 0 ? Optional.empty() : Optional.of(named + field.firstNameValue());
    }

    private static String expected(Field field) {
        String numbers = "a number " + field.min() + "-" + field.max();
        if (field.names().isEmpty()) {
            return numbers;
        }
        return numbers + " or a name " + field.names().getFirst() + "-" + field.names().getLast();
    }
}
