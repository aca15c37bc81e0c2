package dev.thimble.runtime.functions;

/** A service call failed in a way the calling function should see: its message becomes the JS error's message. */
public class ServiceCallException extends RuntimeException {
    public ServiceCallException(String message) {
        super(message);
    }

    public ServiceCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
