package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.functions.ServiceCallException;

/** Turns an AWS refusal (XML for S3 and SES, JSON for Kinesis and Lambda) into the error a function sees. */
final class AwsErrors {
    private AwsErrors() {
    }

    /** {@code <where>: S3 refused the request (403 AccessDenied): Access Denied}. */
    static ServiceCallException refused(String where, String serviceLabel, Outbound.Reply reply) {
        String code = Xml.first(reply.body(), "Code");
        String message = Xml.first(reply.body(), "Message");
        if (code == null && message == null) {
            JsonNode json = Outbound.json(reply.body());
            if (json != null) {
                code = text(json, "__type", text(json, "Type", null));
                message = text(json, "message", text(json, "Message", null));
            }
        }
        if (code == null) {
            code = reply.header("x-amzn-ErrorType");
        }
        if (code != null && code.contains("#")) {
            code = code.substring(code.indexOf('#') + 1);
        }
        if (code != null && code.contains(":")) {
            code = code.substring(0, code.indexOf(':'));
        }
        StringBuilder out = new StringBuilder(where).append(": ").append(serviceLabel).append(" refused the request (")
                .append(reply.status());
        if (code != null && !code.isBlank()) {
            out.append(' ').append(code);
        }
        out.append(')');
        if (message != null && !message.isBlank()) {
            out.append(": ").append(message);
        } else if (reply.status() == 403) {
            out.append(": check the access key, the secret and the key's permissions");
        }
        return new ServiceCallException(out.toString());
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : fallback;
    }
}
