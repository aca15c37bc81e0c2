package dev.thimble.runtime.functions;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** What context.services.get returns per service type, and context.http: each call reaches the ServiceClient seam as (service, action, args, region). */
class ServiceClientsTest {
    record Call(String service, String action, BsonDocument arguments, String region, String userId) {
    }

    static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    static FunctionEngine engine;

    @BeforeAll
    static void start() {
        ServiceClient recording = (service, action, arguments, region, caller, request) -> {
            CALLS.add(new Call(service, action, arguments, region, caller.userId()));
            if (arguments.containsKey("fail")) {
                throw new ServiceCallException("refused: " + arguments.getString("fail").getValue());
            }
            return new BsonDocument("statusCode", new org.bson.BsonInt32(200))
                    .append("body", new BsonBinary("answer text".getBytes(StandardCharsets.UTF_8)));
        };
        engine = FunctionEngine.builder(TestApp.app()
                        .service("web", "http").service("sms", "twilio").service("push", "gcm").service("mail", "aws-ses")
                        .service("bucket", "aws-s3").service("cloud", "aws").service("gh", "github").service("odd", "carrier-pigeon")
                        .function("call", "exports = async (expr) => { const r = await eval(expr); return r === undefined ? null : r; };")
                        .function("text", "exports = async () => (await context.services.get('web').post({url: 'https://x.test', body: 'hi'})).body.text();")
                        .function("error", "exports = async (expr) => { try { await eval(expr); return 'no error'; } catch (e) { return e.message; } };")
                        .function("thrown", "exports = (expr) => { try { eval(expr); return 'no error'; } catch (e) { return e.message; } };")
                        .build())
                .limits(Functions.TEST_LIMITS)
                .services(recording)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Call last() {
        return CALLS.getLast();
    }

    private static void call(String expression) {
        value(engine, "call", new BsonString(expression));
    }

    @Test
    void theHttpServiceHasTheSixMethods() {
        for (String method : List.of("get", "post", "put", "patch", "delete", "head")) {
            call("context.services.get('web')." + method + "({url: 'https://x.test/a', headers: {A: ['1']}})");
            assertThat(last()).isEqualTo(new Call("web", method, (BsonDocument) ejson("{\"url\": \"https://x.test/a\", \"headers\": {\"A\": [\"1\"]}}"),
                    null, "alice-id"));
        }
    }

    @Test
    void theResponseBodyIsABinaryWithText() {
        assertThat(value(engine, "text")).isEqualTo(new BsonString("answer text"));
        assertThat(last().arguments()).isEqualTo(ejson("{\"url\": \"https://x.test\", \"body\": \"hi\"}"));
    }

    @Test
    void contextHttpCallsTheSeamWithoutAService() {
        call("context.http.get({url: 'https://x.test'})");
        assertThat(last().service()).isEqualTo(ServiceClient.CONTEXT_HTTP);
        assertThat(last().action()).isEqualTo("get");
    }

    @Test
    void twilioGcmAndSesSend() {
        call("context.services.get('sms').send({to: '+1', from: '+2', body: 'hi'})");
        assertThat(last()).isEqualTo(new Call("sms", "send", (BsonDocument) ejson("{\"to\": \"+1\", \"from\": \"+2\", \"body\": \"hi\"}"), null, "alice-id"));
        call("context.services.get('push').send({to: '/topics/news', data: {n: 1}})");
        assertThat(last().service() + " " + last().action()).isEqualTo("push send");
        call("context.services.get('mail').send({fromAddress: 'a@x', toAddress: 'b@x', subject: 's', body: 'b'})");
        assertThat(last().service() + " " + last().action()).isEqualTo("mail send");
    }

    @Test
    void legacyS3HasPutAndSignPolicy() {
        call("context.services.get('bucket').put({bucket: 'b', key: 'k', body: 'x'})");
        assertThat(last().action()).isEqualTo("put");
        call("context.services.get('bucket').signPolicy({bucket: 'b', key: 'k'})");
        assertThat(last().action()).isEqualTo("signPolicy");
    }

    @Test
    void awsMapsAnyMethodToAnApiActionWithTheRegion() {
        call("context.services.get('cloud').s3('eu-west-1').PutObject({Bucket: 'b', Key: 'k'})");
        assertThat(last()).isEqualTo(new Call("cloud", "s3:PutObject", (BsonDocument) ejson("{\"Bucket\": \"b\", \"Key\": \"k\"}"), "eu-west-1", "alice-id"));
        call("context.services.get('cloud').ses().SendEmail({Source: 'a@x'})");
        assertThat(last().action()).isEqualTo("ses:SendEmail");
        assertThat(last().region()).isNull();
        call("context.services.get('cloud').lambda('us-east-1').Invoke({FunctionName: 'f'})");
        assertThat(last().action() + " " + last().region()).isEqualTo("lambda:Invoke us-east-1");
        call("context.services.get('cloud').kinesis('us-east-1').PutRecord({StreamName: 's'})");
        assertThat(last().action()).isEqualTo("kinesis:PutRecord");
    }

    @Test
    void aRefusedCallRejectsWithTheServicesMessage() {
        assertThat(value(engine, "error", new BsonString("context.services.get('web').get({url: 'https://x.test', fail: 'no rule'})")))
                .isEqualTo(new BsonString("refused: no rule"));
    }

    @Test
    void githubHasNoActionsAndSaysSo() {
        assertThat(value(engine, "thrown", new BsonString("context.services.get('gh').send({})")))
                .isEqualTo(new BsonString("service 'gh' is a GitHub service: it has no actions a function can call (GitHub services only receive incoming webhooks)"));
    }

    @Test
    void anUnknownServiceIsUndefinedAndAnUnknownTypeIsAClearError() {
        assertThat(value(engine, "call", new BsonString("context.services.get('none')"))).isEqualTo(BsonNull.VALUE);
        BsonValue message = value(engine, "thrown", new BsonString("context.services.get('odd')"));
        assertThat(message.asString().getValue()).startsWith("context.services.get('odd'): services of type 'carrier-pigeon' are not available");
    }

    @Test
    void aNonDocumentArgumentIsATypeError() {
        assertThat(value(engine, "error", new BsonString("context.services.get('web').get('https://x.test')")).asString().getValue())
                .isEqualTo("service 'web'.get takes one argument document, e.g. { url: \"https://example.com\" }");
    }
}
