package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/** Kinesis Data Streams' PutRecord over its JSON protocol ({@code X-Amz-Target: Kinesis_20131202.PutRecord}). */
final class KinesisRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Outbound outbound;
    private final Clock clock;

    KinesisRecords(Outbound outbound, Clock clock) {
        this.outbound = outbound;
        this.clock = clock;
    }

    /** {@code {StreamName, Data, PartitionKey, ExplicitHashKey?, SequenceNumberForOrdering?}} → {@code {ShardId, SequenceNumber}}. */
    BsonDocument putRecord(AwsAccount account, Args args) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("StreamName", args.text("StreamName"));
        body.put("Data", Base64.getEncoder().encodeToString(args.bytes("Data")));
        body.put("PartitionKey", args.text("PartitionKey"));
        putIfPresent(body, "ExplicitHashKey", args.optionalText("ExplicitHashKey"));
        putIfPresent(body, "SequenceNumberForOrdering", args.optionalText("SequenceNumberForOrdering"));
        String url = account.endpoint("kinesis." + account.region() + ".amazonaws.com") + "/";
        Outbound.Reply reply = account.send(outbound, clock, args.where(), "kinesis", "POST", url,
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Kinesis_20131202.PutRecord"),
                body.toString().getBytes(StandardCharsets.UTF_8));
        if (!reply.ok()) {
            throw AwsErrors.refused(args.where(), "Kinesis", reply);
        }
        JsonNode answer = Outbound.json(reply.body());
        if (answer == null || !answer.hasNonNull("SequenceNumber")) {
            throw new ServiceCallException(args.where() + ": Kinesis answered " + reply.status() + " without a SequenceNumber");
        }
        BsonDocument result = new BsonDocument("ShardId", new BsonString(answer.path("ShardId").asText()))
                .append("SequenceNumber", new BsonString(answer.path("SequenceNumber").asText()));
        if (answer.hasNonNull("EncryptionType")) {
            result.append("EncryptionType", new BsonString(answer.get("EncryptionType").asText()));
        }
        return result;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
