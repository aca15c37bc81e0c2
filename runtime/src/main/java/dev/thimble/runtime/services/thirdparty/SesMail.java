package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** SES's SendEmail over the v1 query API, shared by the {@code aws} and legacy {@code aws-ses} types. */
final class SesMail {
    /** One message: addresses, subject and a text and/or HTML body (null when absent). */
    record Message(String source, List<String> to, List<String> cc, List<String> bcc, List<String> replyTo,
                   Part subject, Part text, Part html) {
    }

    /** One text of a message and its charset (null for SES's default, UTF-8); a null part is left out. */
    record Part(String data, String charset) {
    }

    private final Outbound outbound;
    private final Clock clock;

    SesMail(Outbound outbound, Clock clock) {
        this.outbound = outbound;
        this.clock = clock;
    }

    /** Sends the message and returns SES's MessageId. */
    String send(AwsAccount account, String where, Message message) {
        StringBuilder form = new StringBuilder("Action=SendEmail&Version=2010-12-01");
        param(form, "Source", message.source());
        members(form, "Destination.ToAddresses", message.to());
        members(form, "Destination.CcAddresses", message.cc());
        members(form, "Destination.BccAddresses", message.bcc());
        members(form, "ReplyToAddresses", message.replyTo());
        part(form, "Message.Subject", message.subject());
        part(form, "Message.Body.Text", message.text());
        part(form, "Message.Body.Html", message.html());
        String url = account.endpoint("email." + account.region() + ".amazonaws.com") + "/";
        Outbound.Reply reply = account.send(outbound, clock, where, "ses", "POST", url,
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                form.toString().getBytes(StandardCharsets.UTF_8));
        if (!reply.ok()) {
            throw AwsErrors.refused(where, "SES", reply);
        }
        String messageId = Xml.first(reply.body(), "MessageId");
        if (messageId == null) {
            throw new ServiceCallException(where + ": SES answered " + reply.status()
                    + " without a MessageId; is config.base_url pointing at SES?");
        }
        return messageId;
    }

    private static void part(StringBuilder form, String name, Part part) {
        if (part != null) {
            param(form, name + ".Data", part.data());
            param(form, name + ".Charset", part.charset());
        }
    }

    private static void members(StringBuilder form, String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            param(form, name + ".member." + (i + 1), values.get(i));
        }
    }

    private static void param(StringBuilder form, String name, String value) {
        if (value != null) {
            form.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }
}
