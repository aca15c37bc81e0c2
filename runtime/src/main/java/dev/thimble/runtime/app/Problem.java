package dev.thimble.runtime.app;

/**
 * One thing wrong (or worth knowing) about an app bundle: where it is and why.
 *
 * @param file   the bundle-relative path of the file, e.g. {@code triggers/onInsert.json}
 * @param field  a path inside that file, e.g. {@code config.function_name}; "" for the whole file
 * @param reason what is wrong and, where possible, what to do
 */
public record Problem(Severity severity, String file, String field, String reason) {
    public enum Severity { ERROR, WARNING }

    public static Problem error(String file, String field, String reason) {
        return new Problem(Severity.ERROR, file, field, reason);
    }

    public static Problem warning(String file, String field, String reason) {
        return new Problem(Severity.WARNING, file, field, reason);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return (isError() ? "error" : "warning") + ": " + file + (field.isEmpty() ? "" : " [" + field + "]") + ": " + reason;
    }
}
