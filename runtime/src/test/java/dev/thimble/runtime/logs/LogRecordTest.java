package dev.thimble.runtime.logs;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogRecordTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2021-01-01T00:00:00.123456789Z"));

    static BsonArray arguments() {
        return new BsonArray(List.of(
                new BsonString("sku-1"),
                new BsonInt32(3),
                new BsonInt64(1L << 40),
                new BsonDouble(2.5),
                new BsonDecimal128(new Decimal128(new BigDecimal("19.99"))),
                new BsonBoolean(true),
                BsonNull.VALUE,
                new BsonDateTime(1_600_000_000_000L),
                new BsonObjectId(new ObjectId("5f0000000000000000000001")),
                new BsonBinary(UUID.fromString("11111111-2222-3333-4444-555555555555")),
                new BsonDocument("order", new BsonDocument("items", new BsonArray(List.of(new BsonInt32(1), new BsonInt32(2)))))));
    }

    private LogRecord everyField() {
        LogRecord.Builder b = LogRecord.start(LogType.FUNCTION, clock)
                .coId("5f00000000000000000000aa")
                .request("POST", "/api/client/v2.0/app/shop-abcde/functions/call")
                .userId("5f00000000000000000000bb")
                .remoteIpAddress("1.2.3.4")
                .platform("web", "Firefox 120")
                .sdk("realm-web", "2.0.1")
                .function("checkout", "5f00000000000000000000cc")
                .service("mongodb-atlas", "findOne")
                .namespace("shop.orders")
                .trigger("5f00000000000000000000dd", "onOrder")
                .arguments(arguments(), false)
                .result(new BsonDocument("orderId", new BsonObjectId(new ObjectId("5f00000000000000000000ee")))
                        .append("total", new BsonDecimal128(new Decimal128(new BigDecimal("59.97")))), false)
                .message("reserving stock")
                .message("stock: {\"qty\": null}")
                .error("TypeError: cannot read property 'qty' of undefined", "FunctionExecutionError")
                .decision(new BsonDocument("role", new BsonString("owner")).append("matched", BsonBoolean.TRUE))
                .ruleMetrics(new BsonDocument("namespaces_metrics", new BsonDocument("shop.orders",
                        new BsonDocument("no_matching_role", new BsonInt32(0)))))
                .authEvent("local-userpass", "invalid password");
        clock.advance(Duration.ofMillis(120));
        return b.finish();
    }

    @Test
    void aRecordRoundTripsThroughItsStoredForm() {
        LogRecord record = everyField();

        LogRecord back = LogRecord.fromDocument(record.toDocument());

        assertThat(back).isEqualTo(record);
        assertThat(back.toDocument()).isEqualTo(record.toDocument());
    }

    @Test
    void aRecordRoundTripsThroughTheDatabase() {
        LogRecord record = everyField();
        try (TestDatabase db = new TestDatabase()) {
            db.logs().insertOne(record.toDocument());

            LogRecord back = LogRecord.fromDocument(db.logs().find().first());

            assertThat(back).isEqualTo(record);
        }
    }

    @Test
    void aMinimalRecordLeavesAbsentFieldsOut() {
        LogRecord record = LogRecord.start(LogType.AUTH, clock).finish();

        assertThat(record.toDocument().keySet())
                .containsExactly("_id", "co_id", "type", "started", "completed", "status");
        assertThat(LogRecord.fromDocument(record.toDocument())).isEqualTo(record);
    }

    @Test
    void durationIsCompletedMinusStartedAtMillisecondPrecision() {
        LogRecord record = everyField();

        assertThat(record.started()).isEqualTo(Instant.parse("2021-01-01T00:00:00.123Z"));
        assertThat(record.duration()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void finishRecordsAnErrorWhenOneWasSet() {
        assertThat(LogRecord.start(LogType.FUNCTION, clock).error("boom", null).finish().status()).isEqualTo(LogStatus.ERROR);
        assertThat(LogRecord.start(LogType.FUNCTION, clock).finish().status()).isEqualTo(LogStatus.SUCCESS);
    }

    @Test
    void theCorrelationIdDefaultsToTheRecordsOwnId() {
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).finish();

        assertThat(record.coId()).isEqualTo(record.id().toHexString());
    }

    @Test
    void argumentsAreNotKeptWhenTheFunctionDisablesArgLogs() {
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).arguments(arguments(), true).finish();

        assertThat(record.arguments()).isNull();
        assertThat(record.toDocument().containsKey("arguments")).isFalse();
    }

    @Test
    void theResultIsKeptWholeUpToTheCapAndAsAPreviewBeyondIt() {
        LogRecord small = LogRecord.start(LogType.FUNCTION, clock).result(new BsonInt32(3), false).finish();
        assertThat(small.result()).isEqualTo(new BsonInt32(3));
        assertThat(LogRecord.fromDocument(small.toDocument()).result()).isEqualTo(new BsonInt32(3));

        BsonArray big = new BsonArray();
        for (int i = 0; i < 2000; i++) {
            big.add(new BsonDocument("i", new BsonInt32(i)).append("text", new BsonString("item number " + i)));
        }
        LogRecord large = LogRecord.start(LogType.FUNCTION, clock).result(big, false).finish();
        BsonDocument kept = large.result().asDocument();
        assertThat(kept.getBoolean("truncated").getValue()).isTrue();
        assertThat(kept.getInt32("bytes").getValue()).isGreaterThan(LogRecord.MAX_RESULT_BYTES);
        assertThat(kept.getString("preview").getValue()).startsWith("{\"result\": [{\"i\": 0").hasSizeLessThanOrEqualTo(2048);
    }

    @Test
    void theResultIsNotKeptWhenTheFunctionDisablesArgLogs() {
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).result(new BsonString("personal"), true).finish();

        assertThat(record.result()).isNull();
        assertThat(record.toDocument().containsKey("result")).isFalse();
    }

    @Test
    void aRecordCannotBeChangedThroughTheValuesItWasBuiltFrom() {
        BsonArray args = arguments();
        BsonDocument decision = new BsonDocument("role", new BsonString("owner"));
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).arguments(args, false).decision(decision).finish();

        args.add(new BsonString("later"));
        decision.put("role", new BsonString("admin"));

        assertThat(record.arguments()).isEqualTo(arguments());
        assertThat(record.decision()).isEqualTo(new BsonDocument("role", new BsonString("owner")));
        assertThatThrownBy(() -> record.arguments().add(new BsonString("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> record.messages().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void redactMasksSecretValuesInEveryFreeTextField() {
        String secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        LogRecord record = LogRecord.start(LogType.WEBHOOK, clock)
                .request("POST", "/api/client/v2.0/app/x/service/s/incoming_webhook/h?secret=" + secret)
                .arguments(new BsonArray(List.of(new BsonDocument("headers",
                        new BsonDocument("Authorization", new BsonString("Bearer " + secret))))), false)
                .message("calling with " + secret)
                .message("no secret here")
                .error("401 for key " + secret, "HTTPError")
                .decision(new BsonDocument("compared", new BsonString(secret)))
                .authEvent("api-key", "unknown key " + secret)
                .result(new BsonDocument("echo", new BsonString(secret)), false)
                .finish();

        LogRecord redacted = record.redact(Set.of(secret));
        assertThat(redacted.result().asDocument().getString("echo").getValue()).isEqualTo("****");

        assertThat(redacted.toDocument().toJson()).doesNotContain(secret);
        assertThat(redacted.requestUrl()).endsWith("?secret=****");
        assertThat(redacted.arguments().get(0).asDocument().getDocument("headers").getString("Authorization").getValue())
                .isEqualTo("Bearer ****");
        assertThat(redacted.messages()).containsExactly("calling with ****", "no secret here");
        assertThat(redacted.error()).isEqualTo("401 for key ****");
        assertThat(redacted.authEvent().failMessage()).isEqualTo("unknown key ****");
        assertThat(redacted.id()).isEqualTo(record.id());
    }

    @Test
    void aSecretThatContainsAnotherLeavesNoTailBehind() {
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).message("key=abc123xyz").finish();

        LogRecord redacted = record.redact(Set.of("abc", "abc123xyz"));

        assertThat(redacted.messages()).containsExactly("key=****");
    }

    @Test
    void redactReturnsTheSameRecordWhenNoSecretOccurs() {
        LogRecord record = everyField();

        assertThat(record.redact(Set.of("not-in-there", ""))).isSameAs(record);
        assertThat(record.redact(Set.of())).isSameAs(record);
    }

    @Test
    void fromDocumentNamesTheFieldOfTheWrongType() {
        BsonDocument stored = everyField().toDocument();
        stored.put("user_id", new BsonInt32(7));

        assertThatThrownBy(() -> LogRecord.fromDocument(stored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'user_id' is int32, expected string");
    }

    /**
     * The ring keeps a service's last 10,000 records on the heap: a record's decision and result are held in arrays of
     * their own length, not in the encoder's buffer (which doubles: a 33 kB decision held 64 kB before, issue 18).
     */
    @Test
    void aFinishedRecordHoldsItsDecisionAndResultInArraysOfTheirOwnSize() {
        BsonArray documents = new BsonArray();
        for (int i = 0; i < 100; i++) {
            documents.add(new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                    .append("outcome", new BsonString("allowed")).append("reason", new BsonString("rules"))
                    .append("text", new BsonString("owner_id: \"%%user.id\" -> root.owner_id = user.id ".repeat(6))));
        }
        BsonDocument decision = new BsonDocument("documents", documents);
        BsonDocument result = new BsonDocument("items", new BsonArray(documents.getValues().subList(0, 20)));
        LogRecord record = LogRecord.start(LogType.FUNCTION, clock).decision(decision).result(result, false).finish(LogStatus.SUCCESS);

        java.nio.ByteBuffer decisionBytes = ((org.bson.RawBsonDocument) record.decision()).getByteBuffer().asNIO();
        assertThat(decisionBytes.remaining()).isGreaterThan(32 * 1024);
        assertThat(decisionBytes.array()).hasSize(decisionBytes.remaining());
        java.nio.ByteBuffer resultBytes = ((org.bson.RawBsonDocument) record.result()).getByteBuffer().asNIO();
        assertThat(resultBytes.remaining()).isGreaterThan(4 * 1024);
        assertThat(resultBytes.array().length).isLessThan(resultBytes.remaining() + 32); // the {result: ...} it was cut from
        assertThat(record.decision()).isEqualTo(decision);
        assertThat(record.result()).isEqualTo(result);
    }
}
