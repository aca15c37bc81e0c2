package dev.thimble.runtime.functions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision record 0060: the start-time warm-up runs an app function only when a scan of its source finds it cannot
 * reach anything with an effect outside its call. Every way to a service, another function, the network, another
 * module or the global object (where {@code context} lives) keeps a function out of the warm-up.
 */
class WarmableFunctionsTest {

    @Test
    void plainComputationsAndReadsOfTheCallersContextQualify() {
        assertThat(WarmableFunctions.cannotReachOut("exports = function(a, b) { return a + b; };")).isTrue();
        assertThat(WarmableFunctions.cannotReachOut("""
                exports = function(text) {
                  const max = context.values.get("maxItemLength");
                  if (text.length > max) throw new Error("too long for " + context.user.id);
                  return { text: text.trim(), env: context.environment.tag, app: context.app.id, ip: context.request.remoteIPAddress };
                };""")).isTrue();
        assertThat(WarmableFunctions.cannotReachOut("exports = async (n) => { console.log(n); return [n].map((x) => x * 2); };")).isTrue();
        // words in comments, strings, templates' text and regular expressions are not code
        assertThat(WarmableFunctions.cannotReachOut("""
                // this function does not import anything
                exports = function(text, n) {
                  /* the global limit */
                  if (!/^[a-z'"/]+$/i.test(text)) throw new Error("this item's text: " + 'a "global" word');
                  const half = n / 2, third = n / 3;
                  return `this is ${text.trim()} at ${context.values.get("limit")} / ${half + third}`;
                };""")).isTrue();
    }

    @Test
    void codeLeftInTemplatesAndAfterRegularExpressionsIsStillScanned() {
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => `${a} ${this.x}`;")).isFalse();
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => { const ok = /'/.test(a); return ok ? context : null; };")).isFalse();
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => { return /x/.test(a) && process.exit(1); };")).isFalse();
        // text that does not end: the source is not understood, so it is left out
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => 'open;")).isFalse();
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => a; /* open")).isFalse();
        assertThat(WarmableFunctions.cannotReachOut("exports = (a) => `open ${a}")).isFalse();
    }

    @Test
    void anythingThatReachesAServiceAnotherFunctionTheNetworkOrTheGlobalObjectKeepsAFunctionOut() {
        String[] reachesOut = {
                "exports = function() { return context.services.get('mongodb-atlas').db('a').collection('b').insertOne({}); };",
                "exports = function() { return context.functions.execute('addItem', 'x'); };",
                "exports = function() { return context.http.post({ url: 'https://example.com' }); };",
                "exports = function() { const c = context; return c.services; };",
                "exports = function() { return context['services']; };",
                "exports = function() { return context . services; };",
                "exports = function(f) { return f(context); };",
                "exports = function() { return this.context.services; };",
                "exports = function() { return globalThis.context; };",
                "exports = function() { return global.context; };",
                "exports = function() { return Function('return this')(); };",
                "exports = function() { return [].constructor.constructor('return this')(); };",
                "exports = function() { return (0, eval)('this'); };",
                "exports = function() { return require('https').get('https://example.com'); };",
                "exports = async function() { return (await import('fs')); };",
                "exports = function() { return fetch('https://example.com'); };",
                "exports = function() { return process.env; };",
                "exports = function() { return Reflect.ownKeys({}); };",
                "exports = function() { Array.prototype.x = 1; };",
                // conservative: a mention in a comment or a string counts too
                "// calls context.services in a later version\nexports = function(a) { return a; };",
        };
        for (String source : reachesOut) {
            assertThat(WarmableFunctions.cannotReachOut(source)).as(source).isFalse();
        }
        assertThat(WarmableFunctions.cannotReachOut(null)).isFalse();
    }
}
