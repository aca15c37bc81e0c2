package dev.thimble.runtime.errors;

/** A part the request needs cannot answer now (the database, an outside service); trying again later may work (503). */
public final class Unavailable extends Failure {
    public Unavailable(String code, String message) {
        super(Kind.UNAVAILABLE, code, message);
    }
}
