package dev.thimble.runtime.services;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The http and https built-ins send through the same door as context.http (the host's HTTP client, its
 * limits and its logs), against a real HTTP server on loopback: request options and URLs, headers both
 * ways, a streamed body, status codes, redirects left to the caller, connection errors with Node's codes,
 * and what stays refused (servers, methods context.http cannot send).
 */
class NodeHttpModuleTest {
    @TempDir
    static Path dir;
    static FakeHttpServer fake;
    static AppHost host;

    @BeforeAll
    static void start() {
        fake = new FakeHttpServer();
        host = ServiceApps.app()
                .function("request", """
                        exports = function(port, path, method, body) {
                          const http = require('http');
                          return new Promise((resolve, reject) => {
                            const req = http.request({ hostname: '127.0.0.1', port, path, method, headers: { 'X-Trace': 'abc', 'Content-Type': 'text/plain' } }, (res) => {
                              const chunks = [];
                              res.setEncoding('utf8');
                              res.on('data', (c) => chunks.push(c));
                              res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, type: res.headers['content-type'],
                                fake: res.headers['x-fake'], body: chunks.join(''), raw: res.rawHeaders.length > 0 }));
                            });
                            req.on('error', reject);
                            if (body) { req.write(body.slice(0, 3)); req.write(Buffer.from(body.slice(3))); }
                            req.end();
                          });
                        };""")
                .function("get", """
                        exports = function(url) {
                          return new Promise((resolve) => {
                            require('http').get(url, (res) => { let text = ''; res.on('data', (c) => text += c); res.on('end', () => resolve([res.statusCode, res.headers.location || null, text])); })
                              .on('error', (e) => resolve([e.code, e.message]));
                          });
                        };""")
                .function("refused", """
                        exports = function(port) {
                          const out = [];
                          try { require('http').createServer(); } catch (e) { out.push(e.message); }
                          try { require('https').request('http://127.0.0.1/'); } catch (e) { out.push(e.code); }
                          return new Promise((resolve) => {
                            const req = require('http').request({ hostname: '127.0.0.1', port, method: 'OPTIONS' });
                            req.on('error', (e) => { out.push(e.message); resolve(out); });
                            req.end();
                          });
                        };""")
                .start(dir, new SecretStore(dir.resolve("secrets.json")));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        fake.close();
    }

    private static BsonValue run(String function, BsonValue... args) {
        FunctionResult result = host.services().functions().execute(function, List.of(args), ExecutionRequest.asUser(Principal.normal("u1")));
        assertThat(result.error()).as(() -> result.error().describe()).isNull();
        return result.value();
    }

    @Test
    void aRequestWithABodyStreamsTheResponseBack() {
        BsonDocument reply = run("request", new org.bson.BsonInt32(fake.port()), new BsonString("/echo?q=1"), new BsonString("POST"),
                new BsonString("hello body")).asDocument();
        assertThat(reply).isEqualTo(BsonDocument.parse("{status: 200, message: 'OK', type: 'application/json', fake: 'one, two',"
                + " body: '{\"method\":\"POST\",\"echo\":\"hello body\"}', raw: true}"));
        FakeHttpServer.Received received = fake.last();
        assertThat(received.rawQuery()).isEqualTo("q=1");
        assertThat(received.header("X-Trace")).isEqualTo("abc");
        assertThat(received.header("Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void statusCodesAndRedirectsAreTheCallersToHandle() {
        assertThat(run("get", new BsonString(fake.url("/missing")))).isEqualTo(org.bson.BsonArray.parse("[404, null, 'no such thing']"));
        assertThat(run("get", new BsonString(fake.url("/redirect")))).isEqualTo(org.bson.BsonArray.parse("[302, '/echo', '']"));
    }

    @Test
    void aConnectionThatFailsIsAnErrorWithNodesCode() {
        BsonValue reply = run("get", new BsonString("http://127.0.0.1:1/"));
        assertThat(reply.asArray().get(0)).isEqualTo(new BsonString("ECONNREFUSED"));
    }

    @Test
    void serversAndMethodsTheDoorCannotSendAreRefusedByName() {
        assertThat(run("refused", new org.bson.BsonInt32(fake.port()))).isEqualTo(org.bson.BsonArray.parse("["
                + "'http.createServer is not available in Thimble functions: they cannot listen for connections (use an HTTPS endpoint or a webhook)',"
                + "'ERR_INVALID_PROTOCOL',"
                + "'http: method OPTIONS cannot be sent from Thimble functions (context.http sends GET, POST, PUT, PATCH, DELETE and HEAD)']"));
    }
}
