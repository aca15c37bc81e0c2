package dev.thimble.runtime.errors;

/** The caller is not (or no longer) known: no or a bad token, wrong credentials, a disabled user (401). */
public final class Unauthenticated extends Failure {
    public Unauthenticated(String code, String message) {
        super(Kind.UNAUTHENTICATED, code, message);
    }

    /** {@code InvalidSession}: both SDKs refresh their access token on exactly this code. */
    public static Unauthenticated invalidSession(String message) {
        return new Unauthenticated("InvalidSession", message);
    }
}
