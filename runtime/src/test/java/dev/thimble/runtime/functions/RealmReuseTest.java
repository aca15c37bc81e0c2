package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation contract of reused realms (decision records 0030 and 0052): calls of one app version share a
 * realm one after another, and what they share is only what the decision lists. Each test makes one
 * call try to leave something behind and the next call look for it.
 */
class RealmReuseTest {
    private static final Principal BOB = Principal.normal("bob-id");

    @TempDir
    static Path functions;
    private static FunctionEngine engine;
    private static FunctionEngine otherApp;

    @BeforeAll
    static void start() throws IOException {
        Path counter = functions.resolve("node_modules/counter/index.js");
        Files.createDirectories(counter.getParent());
        Files.writeString(counter, "let n = 0; module.exports = { next: () => ++n };");
        // what npm packages do to built-ins' statics when they load or run (bcryptjs, joi); packages are not scanned
        Path tuner = functions.resolve("node_modules/tuner/index.js");
        Files.createDirectories(tuner.getParent());
        Files.writeString(tuner, """
                'use strict';
                Date.now = Date.now || function() { return +new Date(); };
                module.exports = function() {
                  const limit = Error.stackTraceLimit;
                  Error.stackTraceLimit = 0;
                  const inside = Error.stackTraceLimit;
                  Error.stackTraceLimit = limit;
                  Math.random = function() { return 7; };
                  class Later extends Date {}
                  Later.now = () => 1;
                  return [typeof Date.now(), inside, Math.random(), Later.now(), Date.now() > 1];
                };""");
        engine = FunctionEngine.builder(TestApp.app()
                .function("leaveBehind", """
                        exports = function(secret) {
                          LEFT = { context, user: context.user.id, secret };
                          globalThis.ALSO = secret;
                          this.THIS_TOO = secret;
                          fetch = function() { return secret; };
                          return 'left ' + secret;
                        };""")
                .function("swapsAGlobal", """
                        exports = function(secret) {
                          // one Thimble global deleted, one key added: were the delete allowed, the global object would
                          // keep its number of keys (decision 0052: it is refused, as for the standard globals)
                          const deleted = delete globalThis.Buffer;
                          globalThis.SWAPPED_IN = secret;
                          globalThis['Buf' + 'fer'] = 'replaced for this call'; // a computed name: the load-time scan misses it
                          return [deleted, Buffer];
                        };""")
                .function("marksAnAccessor", """
                        exports = function(secret) {
                          // what a locked realm's global object hands out (the pinned globals' accessors) is frozen too
                          const pinned = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
                          pinned.get.secret = secret;
                          pinned.set.secret = secret;
                          return [typeof pinned.get, Object.isFrozen(pinned.get), Object.isFrozen(pinned.set)];
                        };""")
                .function("readsTheAccessor", """
                        exports = function() {
                          const pinned = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
                          return [typeof pinned.get.secret, typeof pinned.set.secret];
                        };""")
                .function("afterTheSwap", "exports = function() { return [typeof SWAPPED_IN, typeof Buffer, typeof context]; };")
                .function("lookAround", """
                        exports = function() {
                          return {
                            left: typeof LEFT, also: typeof ALSO, thisToo: typeof THIS_TOO, fetch: typeof fetch,
                            context: typeof globalThis.context === 'object' && globalThis.context.user.id, user: context.user.id
                          };
                        };""")
                .function("patchIndirectly", """
                        exports = function() {
                          'use strict';
                          // reached indirectly, as code the scan cannot see would (a package, a computed name)
                          const g = globalThis, f = function() { return 'hijacked'; };
                          const put = (o, k, v) => { o[k] = v; };
                          const proto = (name) => g[name]['proto' + 'type'];
                          const attempts = [];
                          for (const attempt of [
                              () => put(proto('Array'), 'last', f),
                              () => put(proto('Object'), 'polluted', 'yes'),
                              () => put(proto('Array'), 'map', f),
                              () => put(g['JSON'], 'stringify', f),
                              () => put(g['Math'], 'random', f),
                              () => put(g['console'], 'log', f),
                              () => put(g['BSON']['ObjectId']['proto' + 'type'], 'toHexString', f),
                              () => put(g['process']['env'], 'TOKEN', 'leak'),
                              () => put(g, 'JSON', null)]) {
                            try { attempt(); attempts.push('changed'); } catch (e) { attempts.push(e.name); }
                          }
                          return attempts;
                        };""")
                .function("builtInsIntact", """
                        exports = function() {
                          return [typeof [].last, ({}).polluted === undefined, [1, 2].map((x) => x * 2).join(','), JSON.stringify({a: 1}),
                            Math.random() < 1, typeof process.env.TOKEN, new BSON.ObjectId('0123456789abcdef01234567').toHexString()];
                        };""")
                .function("classesStillWork", """
                        exports = function() {
                          function MyError(message) { this.name = 'MyError'; this.message = message; }
                          MyError.prototype = Object.create(Error.prototype);
                          MyError.prototype.constructor = MyError;
                          MyError.prototype.toString = function() { return 'MyError! ' + this.message; };
                          function Box(v) { this.v = v; }
                          Box.prototype.valueOf = function() { return this.v; };
                          Box.prototype.toJSON = function() { return { boxed: this.v }; };
                          const e = new MyError('bad');
                          return [String(e), e instanceof Error, e.constructor === MyError, new Box(2) + 1, JSON.stringify(new Box(3)), Buffer.from('hi').toString('hex')];
                        };""")
                .function("tuneStatics", "exports = function() { return require('tuner')(); };")
                .function("staticsAfter", "exports = function() { return [Math.random() < 1, Error.stackTraceLimit, typeof Date.now()]; };")
                .function("moduleLevel", "let calls = 0;\nexports = function() { calls += 1; return calls; };")
                .function("capturesAtTopLevel", "const who = context.user.id;\nexports = function() { return [who, context.user.id]; };")
                .function("replacesContextMembers", """
                        exports = function() {
                          context.http = 'mine';
                          context.user = { id: 'forged' };
                          context.services = null;
                          return [context.http, context.user.id, context.services];
                        };""")
                .function("contextMembers", """
                        exports = function() {
                          return [typeof context.http.get, context.user.id, typeof context.services.get, typeof context.functions.execute,
                            Object.keys(context).join(',')];
                        };""")
                .function("nests", "let entered = 0;\n"
                        + "exports = function(depth) { entered += 1; return depth > 0 ? context.functions.execute('nests', depth - 1) : entered; };")
                .function("packageState", "exports = function() { return require('counter').next(); };")
                .function("echo", "exports = function(x) { return { x, user: context.user.id }; };")
                .function("slow", "exports = function() { while (true) {} };")
                .build()).functionsDirectory(functions).limits(Functions.TEST_LIMITS).build();
        otherApp = FunctionEngine.builder(TestApp.app()
                .function("lookAround", "exports = function() { return [typeof LEFT, typeof ALSO, require('counter').next()]; };")
                .build()).graalEngine(engine.graalEngine()).functionsDirectory(functions).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
        otherApp.close();
    }

    private static BsonValue as(Principal user, String name, BsonValue... args) {
        FunctionResult result = engine.execute(name, List.of(args), ExecutionRequest.asUser(user));
        assertThat(result.error()).as(() -> result.error().describe()).isNull();
        return result.value();
    }

    @Test
    void callsOfAnAppWithoutBuiltInPatchesShareRealms() {
        assertThat(engine.reusesRealms()).isTrue();
        long before = engine.realmsCreated();
        for (int i = 0; i < 20; i++) {
            assertThat(as(Functions.ALICE, "echo", new BsonInt32(i))).isEqualTo(ejson("{\"x\": " + i + ", \"user\": \"alice-id\"}"));
        }
        assertThat(engine.realmsCreated() - before).as("realms made for 20 sequential calls").isLessThanOrEqualTo(2);
    }

    @Test
    void aCallNeverSeesAnotherCallsContextArgumentsGlobalsOrResult() {
        assertThat(as(Functions.ALICE, "leaveBehind", new BsonString("alice's secret"))).isEqualTo(new BsonString("left alice's secret"));
        assertThat(as(BOB, "lookAround")).isEqualTo(ejson(
                "{\"left\": \"undefined\", \"also\": \"undefined\", \"thisToo\": \"undefined\", \"fetch\": \"undefined\","
                        + " \"context\": \"bob-id\", \"user\": \"bob-id\"}"));
    }

    @Test
    void aThimbleGlobalCannotBeDeletedAndOneReplacedOrAKeyAddedIsNotLeftForTheNextCall() {
        assertThat(as(Functions.ALICE, "swapsAGlobal", new BsonString("alice's secret")))
                .isEqualTo(ejson("[false, \"replaced for this call\"]"));
        for (int i = 0; i < 4; i++) { // whichever realm serves it
            assertThat(as(BOB, "afterTheSwap")).isEqualTo(ejson("[\"undefined\", \"function\", \"object\"]"));
        }
    }

    @Test
    void thePinnedGlobalsAccessorsCarryNothingToTheNextCall() {
        assertThat(as(Functions.ALICE, "marksAnAccessor", new BsonString("alice's secret"))).isEqualTo(ejson("[\"function\", true, true]"));
        for (int i = 0; i < 3; i++) { // whichever realm serves it
            assertThat(as(BOB, "readsTheAccessor")).isEqualTo(ejson("[\"undefined\", \"undefined\"]"));
        }
    }

    @Test
    void builtInsAndThimblesGlobalsCannotBeChangedForTheNextCall() {
        BsonArray attempts = as(Functions.ALICE, "patchIndirectly").asArray();
        // prototypes, Thimble's globals and global bindings refuse; statics (JSON.stringify, Math.random) take the
        // change for this call only, and the next call sees the originals again
        assertThat(attempts).as("what each attempt did (strict code gets a TypeError)").isEqualTo(ejson(
                "[\"TypeError\", \"TypeError\", \"TypeError\", \"changed\", \"changed\", \"TypeError\", \"TypeError\", \"TypeError\", \"TypeError\"]"));
        assertThat(as(BOB, "builtInsIntact")).isEqualTo(ejson(
                "[\"undefined\", true, \"2,4\", \"{\\\"a\\\":1}\", true, \"undefined\", \"0123456789abcdef01234567\"]"));
    }

    @Test
    void staticsPackagesPolyfillOrTuneHoldForTheirCallOnly() {
        for (int i = 0; i < 2; i++) {
            assertThat(as(Functions.ALICE, "tuneStatics")).isEqualTo(ejson("[\"number\", 0, 7, 1, true]"));
            assertThat(as(BOB, "staticsAfter")).isEqualTo(ejson("[true, 10, \"number\"]"));
        }
        assertThat(engine.reusesRealms()).isTrue();
    }

    @Test
    void codeThatDefinesItsOwnClassesOverInheritedMethodsStillWorks() {
        for (int i = 0; i < 2; i++) {
            assertThat(as(Functions.ALICE, "classesStillWork")).isEqualTo(ejson(
                    "[\"MyError! bad\", true, true, 3, \"{\\\"boxed\\\":3}\", \"6869\"]"));
        }
    }

    @Test
    void aFunctionsOwnModuleLevelVariablesStartAfreshEachCall() {
        assertThat(as(Functions.ALICE, "moduleLevel")).isEqualTo(new BsonInt32(1));
        assertThat(as(BOB, "moduleLevel")).isEqualTo(new BsonInt32(1));
    }

    @Test
    void aModuleThatReadsItsCallersContextAtItsTopLevelSeesEachCallersOwn() {
        // decision 0052: the module wrapper runs per call, so nothing its top level took from one caller's context stays
        assertThat(as(Functions.ALICE, "capturesAtTopLevel")).isEqualTo(ejson("[\"alice-id\", \"alice-id\"]"));
        assertThat(as(BOB, "capturesAtTopLevel")).isEqualTo(ejson("[\"bob-id\", \"bob-id\"]"));
    }

    @Test
    void contextMembersACallReplacesAreItsOwn() {
        assertThat(as(Functions.ALICE, "replacesContextMembers")).isEqualTo(ejson("[\"mine\", \"forged\", null]"));
        for (int i = 0; i < 3; i++) { // whichever realm serves it
            assertThat(as(BOB, "contextMembers")).isEqualTo(ejson(
                    "[\"function\", \"bob-id\", \"function\", \"function\", \"values,services,functions,http,runningAsSystem,app,environment,request,user\"]"));
        }
    }

    @Test
    void nestedCallsOfOneFunctionWithinACallShareItsModuleLevelVariablesAndTheNextCallStartsAfresh() {
        assertThat(as(Functions.ALICE, "nests", new BsonInt32(2))).as("three entries into one module instance").isEqualTo(new BsonInt32(3));
        assertThat(as(BOB, "nests", new BsonInt32(0))).isEqualTo(new BsonInt32(1));
        assertThat(as(Functions.ALICE, "nests", new BsonInt32(1))).isEqualTo(new BsonInt32(2));
    }

    @Test
    void requiredPackagesAreLoadedOncePerRealmAndKeepTheirStateBetweenCalls() {
        int first = as(Functions.ALICE, "packageState").asInt32().getValue();
        int second = as(BOB, "packageState").asInt32().getValue();
        assertThat(second).as("the package was not evaluated again for the next call").isGreaterThan(first);
    }

    @Test
    void appsNeverShareRealmsGlobalsOrPackages() {
        as(Functions.ALICE, "leaveBehind", new BsonString("alice's secret"));
        for (int i = 0; i < 3; i++) {
            as(Functions.ALICE, "packageState");
        }
        FunctionResult other = otherApp.execute("lookAround", List.of(), ExecutionRequest.asUser(BOB));
        assertThat(other.error()).isNull();
        assertThat(other.value()).isEqualTo(ejson("[\"undefined\", \"undefined\", 1]"));
    }

    @Test
    void aStoppedCallsRealmIsNotReused() {
        FunctionResult stopped = engine.execute("slow", List.of(), ExecutionRequest.asUser(Functions.ALICE).withTimeLimit(Functions.SHORT));
        assertThat(stopped.error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
        assertThat(as(BOB, "echo", new BsonInt32(1))).isEqualTo(ejson("{\"x\": 1, \"user\": \"bob-id\"}"));
    }

    @Test
    void anAppWhoseFunctionsPatchBuiltInsRunsEachCallInAFreshRealm() {
        try (FunctionEngine patching = FunctionEngine.builder(TestApp.app()
                .function("utils", "exports = function() { Array.prototype.last = function() { return this[this.length - 1]; }; };")
                .function("uses", "exports = function() { context.functions.execute('utils'); return [1, 2, 3].last(); };")
                .function("looks", "exports = function() { return typeof [].last; };")
                .build()).limits(Functions.TEST_LIMITS).build()) {
            assertThat(patching.reusesRealms()).isFalse();
            assertThat(value(patching, "uses")).isEqualTo(new BsonInt32(3));
            assertThat(value(patching, "looks")).isEqualTo(new BsonString("undefined"));
        }
    }

    @Test
    void aReloadRescansChangedFunctionsAndKeepsWhatTheScanFoundInUnchangedOnes() {
        String patches = "exports = function() { Array.prototype.last = function() { return this[this.length - 1]; }; };";
        String plain = "exports = function() { return typeof [].last; };";
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app().function("utils", patches).function("other", plain).build())
                .limits(Functions.TEST_LIMITS).build()) {
            assertThat(engine.reusesRealms()).isFalse();
            // only "other" changed: the patch found in the unchanged "utils" still counts
            engine.reload(TestApp.app().function("utils", patches).function("other", plain + " // v2").build());
            assertThat(engine.reusesRealms()).isFalse();
            // "utils" changed to ordinary code: rescanned, so realms are shared again
            engine.reload(TestApp.app().function("utils", plain).function("other", plain + " // v2").build());
            assertThat(engine.reusesRealms()).isTrue();
            assertThat(value(engine, "other")).isEqualTo(new BsonString("undefined"));
            engine.reload(TestApp.app().function("utils", plain).function("other", patches).build());
            assertThat(engine.reusesRealms()).isFalse();
        }
    }

    @Test
    void theScanFindsTheUsualWaysOfPatchingBuiltInsAndNotOrdinaryCode() {
        for (String patch : List.of("Array.prototype.last = f", "Object.prototype.x=1", "console.logVerbose = function() {}",
                "String.prototype['pad'] = f", "Promise = require('bluebird')", "global.Promise = P", "process.env.X = 'y'",
                "Object.defineProperty(Array.prototype, 'x', {})", "Object.assign(Math, {})", "x.__proto__.y = 1", "JSON.parse = p",
                "Math.random += 1", "utils.crypto.hash = h")) {
            assertThat(BuiltInPatches.find(patch)).as(patch).isPresent();
        }
        for (String ordinary : List.of("const x = Array.prototype.slice.call(arguments)", "if (Math.random() > 0.5) y = 1",
                "const doc = JSON.parse(s); doc.a = 1", "result = context.values.get('x')", "items.map(x => x.a === Object.keys(x).length)",
                "fetch = require('node-fetch')", "myObject.prototype.x = 1", "const o = {}; o.constructor === Object", "a.b >= Math.max(1, 2)")) {
            assertThat(BuiltInPatches.find(ordinary)).as(ordinary).isEmpty();
        }
    }

    @Test
    void concurrentCallsEachSeeTheirOwnArgumentsAndUser() throws Exception {
        List<java.util.concurrent.Callable<Boolean>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            Principal user = n % 2 == 0 ? Functions.ALICE : BOB;
            calls.add(() -> as(user, "echo", new BsonInt32(n)).equals(ejson("{\"x\": " + n + ", \"user\": \"" + user.id() + "\"}")));
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (var answer : pool.invokeAll(calls)) {
                assertThat(answer.get()).isTrue();
            }
        }
        assertThat(BsonBoolean.TRUE).isNotNull();
    }
}
