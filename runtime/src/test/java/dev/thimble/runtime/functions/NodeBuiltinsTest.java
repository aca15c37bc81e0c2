package dev.thimble.runtime.functions;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node's built-in modules as functions use them, each checked against what Node 20 answers for the
 * same call (the expected values were produced by Node itself): Buffer, timers, crypto, zlib, url,
 * querystring, path, util, events, stream, string_decoder, assert, os, punycode.
 */
class NodeBuiltinsTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("buffer", """
                        exports = function() {
                          const b = Buffer.from('héllo', 'utf8');
                          return { hex: b.toString('hex'), b64: b.toString('base64'), len: b.length,
                            legacy: new Buffer('aGk=', 'base64').toString(), callable: Buffer('abc').toString('hex'),
                            concat: Buffer.concat([Buffer.from([1, 2]), Buffer.alloc(2, 9)]).toString('hex'),
                            isBuffer: Buffer.isBuffer(b), fromModule: require('buffer').Buffer === Buffer,
                            int: Buffer.from([0, 0, 1, 0]).readUInt32BE(0), btoa: btoa('hi'), atob: atob('aGk=') };
                        };""")
                .function("timers", """
                        exports = async function() {
                          const order = [];
                          const t = setTimeout(() => order.push('cancelled'), 5);
                          clearTimeout(t);
                          setImmediate(() => order.push('immediate'));
                          process.nextTick(() => order.push('tick'));
                          await new Promise((resolve) => setTimeout(resolve, 30));
                          let n = 0;
                          await new Promise((resolve) => { const i = setInterval(() => { if (++n === 3) { clearInterval(i); resolve(); } }, 5); });
                          const timers = require('timers');
                          await new Promise((resolve) => timers.setTimeout(resolve, 1));
                          return { order, n, numeric: typeof (+setTimeout(() => {}, 1)) };
                        };""")
                .function("pendingTimerKeepsWaiting", "exports = () => new Promise((resolve) => setTimeout(() => resolve('late'), 50));")
                .function("crypto", """
                        exports = function() {
                          const c = require('crypto');
                          const key = Buffer.alloc(32, 1), iv = Buffer.alloc(16, 2);
                          const cbc = c.createCipheriv('aes-256-cbc', key, iv);
                          const cbcText = cbc.update('attack at dawn', 'utf8', 'base64') + cbc.final('base64');
                          const d = c.createDecipheriv('aes-256-cbc', key, iv);
                          const back = d.update(cbcText, 'base64', 'utf8') + d.final('utf8');
                          const ctr = c.createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), iv);
                          const ctrText = ctr.update('stream me', 'utf8', 'hex') + ctr.final('hex');
                          const g = c.createCipheriv('aes-256-gcm', key, Buffer.alloc(12, 4));
                          g.setAAD(Buffer.from('hdr'));
                          const gcm = Buffer.concat([g.update('secret'), g.final()]).toString('hex');
                          const tag = g.getAuthTag();
                          const gd = c.createDecipheriv('aes-256-gcm', key, Buffer.alloc(12, 4));
                          gd.setAAD(Buffer.from('hdr')); gd.setAuthTag(tag);
                          const gcmBack = gd.update(Buffer.from(gcm, 'hex'), undefined, 'utf8') + gd.final('utf8');
                          let tampered;
                          try {
                            const t = c.createDecipheriv('aes-256-gcm', key, Buffer.alloc(12, 4));
                            t.setAAD(Buffer.from('hdr')); t.setAuthTag(Buffer.alloc(16)); t.update(Buffer.from(gcm, 'hex')); t.final();
                          } catch (e) { tampered = e.message; }
                          const legacy = c.createCipher('aes-256-cbc', 'pw');
                          return {
                            sha256: c.createHash('sha256').update('abc').digest('hex'),
                            md5: c.createHash('md5').update('').digest('hex'),
                            sha512: c.createHash('sha512').update('x').digest('base64'),
                            chunked: c.createHash('sha1').update('a').update(Buffer.from('bc')).digest('hex'),
                            hmac: c.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
                            pbkdf2: c.pbkdf2Sync('password', 'salt', 1, 20, 'sha1').toString('hex'),
                            pbkdf2Unicode: c.pbkdf2Sync('pässword', 'salt', 2, 32, 'sha256').toString('hex'),
                            cbc: cbcText, back, ctr: ctrText, gcm, tag: tag.toString('hex'), gcmBack, tampered,
                            legacy: legacy.update('old', 'utf8', 'hex') + legacy.final('hex'),
                            random: c.randomBytes(16).length, uuid: /^[0-9a-f-]{36}$/.test(c.randomUUID()),
                            fill: c.randomFillSync(new Uint8Array(4)).length, int: c.randomInt(5, 6),
                            same: c.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')), differ: c.timingSafeEqual(Buffer.from('ab'), Buffer.from('ac'))
                          };
                        };""")
                .function("cryptoAsync", """
                        exports = async function() {
                          const c = require('crypto');
                          const { promisify } = require('util');
                          const key = await promisify(c.pbkdf2)('password', 'salt', 1, 20, 'sha1');
                          const bytes = await new Promise((resolve, reject) => c.randomBytes(8, (e, b) => e ? reject(e) : resolve(b)));
                          return { key: key.toString('hex'), bytes: bytes.length };
                        };""")
                .function("sign", """
                        exports = function(privatePem, publicPem, ecPrivate, ecPublic) {
                          const c = require('crypto');
                          const sig = c.createSign('RSA-SHA256').update('msg').sign(privatePem, 'base64');
                          const ecSig = c.createSign('sha256').update('msg').sign(ecPrivate);
                          const keyObject = c.createPrivateKey(privatePem);
                          let notAKey;
                          try { c.createPrivateKey('shhhh'); } catch (e) { notAKey = e.name; }
                          return {
                            sig,
                            ok: c.createVerify('RSA-SHA256').update('msg').verify(publicPem, sig, 'base64'),
                            bad: c.createVerify('RSA-SHA256').update('other').verify(publicPem, sig, 'base64'),
                            ec: c.createVerify('sha256').update('msg').verify(ecPublic, ecSig),
                            keyType: keyObject.type + '/' + keyObject.asymmetricKeyType,
                            secret: c.createSecretKey(Buffer.from('k')).symmetricKeySize,
                            hmacWithKeyObject: c.createHmac('sha256', c.createSecretKey(Buffer.from('key'))).update('x').digest('hex')
                              === c.createHmac('sha256', 'key').update('x').digest('hex'),
                            notAKey
                          };
                        };""")
                .function("zlib", """
                        exports = async function() {
                          const zlib = require('zlib');
                          const text = 'hello hello hello';
                          const inflated = await new Promise((resolve, reject) => zlib.inflate(zlib.deflateSync(text), (e, r) => e ? reject(e) : resolve(r.toString())));
                          const streamed = await new Promise((resolve, reject) => {
                            const chunks = [];
                            const gunzip = zlib.createGunzip();
                            gunzip.on('data', (c) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString())).on('error', reject);
                            gunzip.end(zlib.gzipSync('through a stream'));
                          });
                          let corrupt;
                          try { zlib.gunzipSync(Buffer.from('not gzip')); } catch (e) { corrupt = e.code; }
                          return { deflate: zlib.deflateSync(text).toString('base64'), raw: zlib.deflateRawSync(text).toString('base64'),
                            inflated, unzip: zlib.unzipSync(zlib.gzipSync('auto')).toString(), streamed, corrupt, brotli: typeof zlib.createBrotliDecompress };
                        };""")
                .function("url", """
                        exports = function() {
                          const url = require('url');
                          const u = new URL('/a/./b/../c?x=1&y=two words#frag', 'https://User:pw@EXAMPLE.com:443');
                          u.searchParams.append('z', 'a&b');
                          const legacy = url.parse('http://host.com:8080/p/a/t/h?query=string#hash', true);
                          return { href: u.href, host: u.host, origin: u.origin, path: u.pathname, y: u.searchParams.get('y'),
                            port: new URL('http://h:8080').port, idn: new URL('http://mañana.com/').hostname,
                            params: new URLSearchParams({ a: '1', b: 'x y' }).toString(),
                            legacyQuery: legacy.query.query, legacyPort: legacy.port, legacyHash: legacy.hash,
                            formatted: url.format({ protocol: 'https', hostname: 'x.org', pathname: '/p', query: { q: 'v w' } }),
                            resolved: url.resolve('http://a.com/b/c', '../d'), sameGlobal: URL === url.URL };
                        };""")
                .function("badHash", "exports = function() {\n  return require('crypto').createHash('nope');\n};")
                .function("invalidUrl", "exports = function() { try { new URL('no scheme'); } catch (e) { return e.code + ': ' + e.message; } };")
                .function("misc", """
                        exports = function() {
                          const qs = require('querystring'), path = require('path'), util = require('util'), os = require('os');
                          const { StringDecoder } = require('string_decoder');
                          const d = new StringDecoder('utf8');
                          const euro = Buffer.from('€');
                          const EventEmitter = require('events');
                          class Bus extends EventEmitter {}
                          const bus = new Bus(); const seen = [];
                          bus.once('x', (v) => seen.push('once ' + v)); bus.on('x', (v) => seen.push('on ' + v));
                          bus.emit('x', 1); bus.emit('x', 2);
                          return {
                            qs: qs.stringify({ a: [1, 2], b: 'x y' }), parsed: qs.parse('a=1&a=2&b=x%20y'), escape: qs.escape('a b&'),
                            join: path.join('/a/b', '../c', 'd.js'), ext: path.extname('x/y.tar.gz'), base: path.basename('/x/y.js', '.js'),
                            resolve: path.resolve('a', 'b'), rel: path.relative('/a/b', '/a/c/d'),
                            format: util.format('%s:%d:%j', 'a', 1.5, { x: 1 }), inherits: typeof util.inherits,
                            isDate: util.types.isDate(new Date()), deep: util.isDeepStrictEqual({ a: [1] }, { a: [1] }),
                            inspect: util.inspect({ a: { b: { c: { d: 1 } } }, s: 'x' }),
                            decoded: d.write(euro.subarray(0, 1)) + '|' + d.write(euro.subarray(1)),
                            events: seen, eol: os.EOL, platform: os.platform(),
                            puny: require('punycode').toASCII('mañana.com'), unicode: require('punycode').toUnicode('xn--maana-pta.com')
                          };
                        };""")
                .function("assert", """
                        exports = async function() {
                          const assert = require('assert');
                          const out = [];
                          const expectFail = (f) => { try { f(); out.push('no error'); } catch (e) { out.push(e.name + ' ' + e.code); } };
                          assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] });
                          assert.deepEqual({ a: 1 }, { a: '1' });
                          expectFail(() => assert.deepStrictEqual({ a: 1 }, { a: '1' }));
                          expectFail(() => assert.strictEqual(1, 2));
                          expectFail(() => assert(false));
                          assert.throws(() => { throw new TypeError('x'); }, TypeError);
                          assert.throws(() => { throw new Error('boom'); }, /boom/);
                          await assert.rejects(Promise.reject(new Error('no')), { message: 'no' });
                          expectFail(() => assert.strict.equal(1, '1'));
                          return out;
                        };""")
                .function("stream", """
                        exports = async function() {
                          const stream = require('stream');
                          const { Readable, Transform, Writable, pipeline } = stream;
                          const upper = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
                          const collected = [];
                          const sink = new Writable({ write(chunk, enc, cb) { collected.push(chunk.toString()); cb(); } });
                          const source = new Readable({ read() {} });
                          source.push('ab'); source.push('cd'); source.push(null);
                          await new Promise((resolve, reject) => pipeline(source, upper, sink, (e) => e ? reject(e) : resolve()));
                          return { collected, isStream: source instanceof stream, legacy: typeof stream.Stream, promises: typeof stream.promises.pipeline };
                        };""")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void bufferIsAGlobalWithTheDeprecatedConstructorToo() {
        assertThat(value(engine, "buffer")).isEqualTo(ejson("""
                {"hex": "68c3a96c6c6f", "b64": "aMOpbGxv", "len": 6, "legacy": "hi", "callable": "616263", "concat": "01020909",
                 "isBuffer": true, "fromModule": true, "int": 256, "btoa": "aGk=", "atob": "hi"}"""));
    }

    @Test
    void timersRunOnTheExecutionsOwnQueue() {
        assertThat(value(engine, "timers")).isEqualTo(ejson("{\"order\": [\"tick\", \"immediate\"], \"n\": 3, \"numeric\": \"number\"}"));
        assertThat(value(engine, "pendingTimerKeepsWaiting")).isEqualTo(new BsonString("late"));
    }

    @Test
    void cryptoAnswersAsNodeDoes() {
        BsonDocument result = value(engine, "crypto").asDocument();
        assertThat(result).isEqualTo(ejson("""
                {"sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                 "md5": "d41d8cd98f00b204e9800998ecf8427e",
                 "sha512": "pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg==",
                 "chunked": "a9993e364706816aba3e25717850c26c9cd0d89d",
                 "hmac": "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                 "pbkdf2": "0c60c80f961f0e71f3a9b524af6012062fe037a6",
                 "pbkdf2Unicode": "d17aca247fbb1bebd27709bb4d77268d502ba27435af92a5bbf17f523626abce",
                 "cbc": "oofFykPMFusDAZv5cMj2aA==", "back": "attack at dawn", "ctr": "e3ecf78116d10098ef",
                 "gcm": "9cc43832fccc", "tag": "f97f170b12a3dd32838618a3132c231b", "gcmBack": "secret",
                 "tampered": "Unsupported state or unable to authenticate data",
                 "legacy": "2a575265c61ca1fe6a4ae0f8358c9f4d",
                 "random": 16, "uuid": true, "fill": 4, "int": 5, "same": true, "differ": false}"""));
        assertThat(value(engine, "cryptoAsync")).isEqualTo(ejson("{\"key\": \"0c60c80f961f0e71f3a9b524af6012062fe037a6\", \"bytes\": 8}"));
    }

    @Test
    void signaturesMatchNodesAndVerifyWithPemKeys() throws IOException {
        BsonValue result = value(engine, "sign", new BsonString(resource("rsa-priv-pkcs1.pem")), new BsonString(resource("rsa-pub.pem")),
                new BsonString(resource("ec-priv.pem")), new BsonString(resource("ec-pub.pem")));
        assertThat(result).isEqualTo(ejson("{\"sig\": \"" + resource("rsa-sig.txt").trim() + "\", \"ok\": true, \"bad\": false, \"ec\": true,"
                + " \"keyType\": \"private/rsa\", \"secret\": 1, \"hmacWithKeyObject\": true, \"notAKey\": \"TypeError\"}"));
    }

    @Test
    void zlibDeflatesAndGzipsWithTheJdk() {
        assertThat(value(engine, "zlib")).isEqualTo(ejson("""
                {"deflate": "eJzLSM3JyVfIQJAAOi4GfQ==", "raw": "y0jNyclXyECQAA==", "inflated": "hello hello hello", "unzip": "auto",
                 "streamed": "through a stream", "corrupt": "Z_DATA_ERROR", "brotli": "undefined"}"""));
    }

    @Test
    void urlHasTheWhatwgClassesAndTheLegacyParser() {
        assertThat(value(engine, "url")).isEqualTo(ejson("""
                {"href": "https://User:pw@example.com/a/c?x=1&y=two+words&z=a%26b#frag", "host": "example.com", "origin": "https://example.com",
                 "path": "/a/c", "y": "two words", "port": "8080", "idn": "xn--maana-pta.com", "params": "a=1&b=x+y",
                 "legacyQuery": "string", "legacyPort": "8080", "legacyHash": "#hash",
                 "formatted": "https://x.org/p?q=v%20w", "resolved": "http://a.com/d", "sameGlobal": true}"""));
        assertThat(value(engine, "invalidUrl")).isEqualTo(new BsonString("ERR_INVALID_URL: Invalid URL: no scheme"));
    }

    @Test
    void querystringPathUtilEventsStringDecoderOsAndPunycode() {
        assertThat(value(engine, "misc")).isEqualTo(ejson("""
                {"qs": "a=1&a=2&b=x%20y", "parsed": {"a": ["1", "2"], "b": "x y"}, "escape": "a%20b%26",
                 "join": "/a/c/d.js", "ext": ".gz", "base": "y", "resolve": "/a/b", "rel": "../c/d",
                 "format": "a:1.5:{\\"x\\":1}", "inherits": "function", "isDate": true, "deep": true,
                 "inspect": "{ a: { b: { c: [Object] } }, s: 'x' }",
                 "decoded": "|€", "events": ["once 1", "on 1", "on 2"], "eol": "\\n", "platform": "linux",
                 "puny": "xn--maana-pta.com", "unicode": "mañana.com"}"""));
    }

    @Test
    void assertThrowsAssertionErrors() {
        assertThat(value(engine, "assert")).isEqualTo(ejson("""
                ["AssertionError ERR_ASSERTION", "AssertionError ERR_ASSERTION", "AssertionError ERR_ASSERTION", "AssertionError ERR_ASSERTION"]"""));
    }

    @Test
    void streamsPipeThroughTransforms() {
        assertThat(value(engine, "stream")).isEqualTo(ejson("{\"collected\": [\"AB\", \"CD\"], \"isStream\": true, \"legacy\": \"function\", \"promises\": \"function\"}"));
    }

    @Test
    void aBuiltInsErrorNamesTheProblemAndPointsAtTheUsersLine() {
        FunctionResult result = run(engine, "badHash");
        assertThat(result.error().name() + ": " + result.error().message()).isEqualTo("Error: Digest method not supported: nope");
        assertThat(result.error().stack()).anyMatch(frame -> frame.contains("functions/badHash/source.js:2"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NodeBuiltinsTest.class.getResourceAsStream("node-keys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
