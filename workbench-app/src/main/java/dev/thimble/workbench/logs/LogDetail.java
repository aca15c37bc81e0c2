package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.apps.ExtendedJson;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The detail pane's text of one record: request, user, function or action, arguments, console output, error, rule decision. */
public final class LogDetail {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogDetail() {
    }

    public static String describe(LogRecord r) {
        StringBuilder out = new StringBuilder();
        out.append(r.type()).append("  ").append(r.status().wire()).append("  ")
                .append(TIME.format(r.started())).append("  ").append(r.duration().toMillis()).append(" ms\n");
        field(out, "Request", r.requestMethod() == null ? null : r.requestMethod() + " " + r.requestUrl());
        field(out, "User", r.userId() == null || r.userId().isEmpty() ? null : r.userId());
        field(out, "Remote", r.remoteIpAddress());
        field(out, "SDK", r.sdkName() == null ? null : r.sdkName() + " " + r.sdkVersion());
        field(out, "Function", r.functionName());
        field(out, "Service", r.serviceName() == null ? null : r.serviceName() + " " + r.serviceAction());
        field(out, "Namespace", r.namespace());
        field(out, "Trigger", r.eventSubscriptionName());
        if (r.type() == dev.thimble.runtime.logs.LogType.AUTH) {
            field(out, "Auth", AuthEvents.describe(r));
            field(out, "Provider", AuthEvents.provider(r));
        } else if (r.authEvent() != null) {
            field(out, "Provider", r.authEvent().provider());
            field(out, "Login failed", r.authEvent().failMessage());
        }
        field(out, "Request id", r.coId());
        section(out, "Arguments", r.arguments() == null ? "(not logged: the function sets disable_arg_logs, or it has none)"
                : ExtendedJson.format(r.arguments()));
        if (r.result() != null) {
            section(out, "Result", ExtendedJson.format(r.result()));
        }
        if (!r.messages().isEmpty()) {
            section(out, "Console output", String.join("\n", r.messages()));
        }
        if (r.error() != null) {
            section(out, "Error" + (r.errorCode() == null ? "" : " (" + r.errorCode() + ")"), r.error());
        }
        if (r.decision() != null) {
            out.append("\nRule decision: in the tree below\n");
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null && !value.isBlank()) {
            out.append(String.format("%-11s %s%n", name, value));
        }
    }

    private static void section(StringBuilder out, String name, String body) {
        out.append('\n').append(name).append('\n');
        for (String line : body.split("\n", -1)) {
            out.append("  ").append(line).append('\n');
        }
    }
}
