package dev.thimble.runtime.data;

/**
 * Something the embedded server accepted but does not do, noticed the first time a database used it.
 *
 * @param feature   what was ignored
 * @param namespace {@code database.collection} where it was first seen
 * @param message   a sentence for people: what is ignored, what that means, what to do
 */
public record DatabaseWarning(IgnoredFeature feature, String namespace, String message) {

    /** Features the embedded server accepts and silently ignores. */
    public enum IgnoredFeature {
        TTL_INDEX,
        COLLATION,
        PARTIAL_INDEX,
        VALIDATOR
    }

    @Override
    public String toString() {
        return message;
    }
}
