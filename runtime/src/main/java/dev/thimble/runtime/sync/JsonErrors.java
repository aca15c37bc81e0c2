package dev.thimble.runtime.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of a {@code json_error} message as realm-core's client reads it (protocol 14): the message, whether to
 * try again, and the action the client takes ({@code Transient}, {@code ProtocolViolation}, {@code ClientReset},
 * {@code Warning} for a compensating write, ...).
 */
final class JsonErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrors() {
    }

    /** The fields every error carries; a caller adds its own (a compensating write's rejected updates). */
    static ObjectNode body(String message, boolean tryAgain, String action) {
        ObjectNode json = JSON.createObjectNode();
        json.put("message", message);
        json.put("tryAgain", tryAgain);
        json.put("isRecoveryModeDisabled", false);
        json.put("shouldClientReset", false);
        json.put("action", action);
        json.put("logURL", "");
        return json;
    }
}
