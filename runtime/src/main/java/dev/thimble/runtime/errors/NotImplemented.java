package dev.thimble.runtime.errors;

/** Thimble knows this request and does not do it (yet) (501). */
public final class NotImplemented extends Failure {
    public NotImplemented(String code, String message) {
        super(Kind.NOT_IMPLEMENTED, code, message);
    }
}
