package dev.thimble.runtime.services.thirdparty;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lambda's Invoke over its REST API ({@code POST /2015-03-31/functions/<name>/invocations}). */
final class LambdaInvocations {
    private final Outbound outbound;
    private final Clock clock;

    LambdaInvocations(Outbound outbound, Clock clock) {
        this.outbound = outbound;
        this.clock = clock;
    }

    /**
     * {@code {FunctionName, Payload?, InvocationType?, LogType?, Qualifier?}} → {@code {StatusCode, Payload,
     * FunctionError?, ExecutedVersion?, LogResult?}}; a function error is a result, as in the AWS SDK, not a throw.
     */
    BsonDocument invoke(AwsAccount account, Args args) {
        String name = args.text("FunctionName");
        byte[] payload = args.optionalBytes("Payload");
        String qualifier = args.optionalText("Qualifier");
        String url = account.endpoint("lambda." + account.region() + ".amazonaws.com") + "/2015-03-31/functions/"
                + SigV4.encode(name) + "/invocations" + (qualifier == null ? "" : "?Qualifier=" + SigV4.encode(qualifier));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String invocationType = args.optionalText("InvocationType");
        if (invocationType != null) {
            headers.put("X-Amz-Invocation-Type", invocationType);
        }
        String logType = args.optionalText("LogType");
        if (logType != null) {
            headers.put("X-Amz-Log-Type", logType);
        }
        Outbound.Reply reply = account.send(outbound, clock, args.where(), "lambda", "POST", url, headers,
                payload == null ? new byte[0] : payload);
        if (!reply.ok()) {
            throw AwsErrors.refused(args.where(), "Lambda", reply);
        }
        BsonDocument result = new BsonDocument("StatusCode", new BsonInt32(reply.status()))
                .append("Payload", new BsonBinary(reply.body()));
        copyHeader(reply, "X-Amz-Function-Error", result, "FunctionError");
        copyHeader(reply, "X-Amz-Executed-Version", result, "ExecutedVersion");
        copyHeader(reply, "X-Amz-Log-Result", result, "LogResult");
        return result;
    }

    private static void copyHeader(Outbound.Reply reply, String header, BsonDocument result, String field) {
        String value = reply.header(header);
        if (value != null) {
            result.append(field, new BsonString(value));
        }
    }
}
