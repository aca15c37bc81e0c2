package dev.thimble.runtime.errors;

/** The app or the runtime failed, not the request: a function threw, a config cannot be used; the message says where to look (500). */
public final class InternalFailure extends Failure {
    public InternalFailure(String code, String message) {
        super(Kind.INTERNAL, code, message);
    }
}
