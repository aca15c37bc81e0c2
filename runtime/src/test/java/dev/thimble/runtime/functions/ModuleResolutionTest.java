package dev.thimble.runtime.functions;

import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CommonJS {@code require} over an app's {@code functions/node_modules}: main, index files, subpaths,
 * {@code exports} with conditions and patterns, JSON files, nested node_modules, the {@code .default}
 * interop, core modules winning over npm placeholders, and the limits of the read-only view (no path
 * out of the folder, no native addons, no ES modules).
 */
class ModuleResolutionTest {
    @TempDir
    static Path functions;
    private static FunctionEngine engine;

    @BeforeAll
    static void start() throws IOException {
        write("node_modules/plain/package.json", "{\"name\": \"plain\", \"main\": \"lib/main.js\"}");
        write("node_modules/plain/lib/main.js", "exports.name = 'plain'; exports.dir = __dirname; exports.helper = require('./helper');");
        write("node_modules/plain/lib/helper.js", "module.exports = 'helper of ' + require('../package.json').name;");
        write("node_modules/plain/extra/index.js", "module.exports = 'extra index';");
        write("node_modules/noMain/index.js", "module.exports = function noMain() { return 'index'; };");
        write("node_modules/conditional/package.json", """
                {"name": "conditional", "main": "wrong.js", "exports": {".": {"import": "./esm.mjs", "require": "./cjs.js"},
                 "./feature": {"node": "./feature-node.js", "default": "./feature.js"}, "./utils/*": "./src/utils/*.js", "./package.json": "./package.json"}}""");
        write("node_modules/conditional/cjs.js", "module.exports = { kind: 'cjs', dep: require('dep').version };");
        write("node_modules/conditional/feature-node.js", "module.exports = 'node feature';");
        write("node_modules/conditional/src/utils/math.js", "exports.add = (a, b) => a + b;");
        write("node_modules/conditional/hidden.js", "module.exports = 'hidden';");
        write("node_modules/conditional/node_modules/dep/package.json", "{\"name\": \"dep\", \"version\": \"2.0.0\"}");
        write("node_modules/conditional/node_modules/dep/index.js", "exports.version = require('./package.json').version;");
        write("node_modules/dep/package.json", "{\"name\": \"dep\", \"version\": \"1.0.0\"}");
        write("node_modules/dep/index.js", "exports.version = require('./package.json').version;");
        write("node_modules/@scope/pkg/package.json", "{\"name\": \"@scope/pkg\", \"main\": \"main\"}");
        write("node_modules/@scope/pkg/main.js", "module.exports = { scoped: true, self: require('@scope/pkg/sub') };");
        write("node_modules/@scope/pkg/sub.js", "module.exports = 'sub';");
        write("node_modules/esModule/package.json", "{\"name\": \"esModule\", \"main\": \"index.js\"}");
        write("node_modules/esModule/index.js", "Object.defineProperty(exports, '__esModule', { value: true }); exports.default = function () { return 'es default'; };");
        write("node_modules/crypto/package.json", "{\"name\": \"crypto\", \"main\": \"index.js\"}");
        write("node_modules/crypto/index.js", "module.exports = 'the npm placeholder';");
        write("node_modules/native/package.json", "{\"name\": \"native\", \"main\": \"binding.node\"}");
        write("node_modules/native/binding.node", "\0\0");
        write("node_modules/esmOnly/package.json", "{\"name\": \"esmOnly\", \"type\": \"module\", \"exports\": {\".\": {\"import\": \"./index.js\"}}}");
        write("node_modules/esmOnly/index.js", "export default 1;");
        write("node_modules/esmByType/package.json", "{\"name\": \"esmByType\", \"type\": \"module\", \"main\": \"index.js\"}");
        write("node_modules/esmByType/index.js", "export default 1;");
        write("node_modules/circular/package.json", "{\"name\": \"circular\"}");
        write("node_modules/circular/index.js", "exports.a = 1; const b = require('./b'); exports.fromB = b.sawA;");
        write("node_modules/circular/b.js", "exports.sawA = require('./index').a;");
        write("node_modules/escapes/index.js", "module.exports = require('../../../../../etc/hostname');");
        write("node_modules/usesBuiltins/index.js", "module.exports = require('util').format('%s+%s', require('path').sep, typeof require('events'));");
        write("package.json", "{\"dependencies\": {}}");
        engine = FunctionEngine.builder(TestApp.app()
                .function("main", "exports = () => { const p = require('plain'); return [p.name, p.dir, p.helper, require('plain/extra'), require('noMain')()]; };")
                .function("conditions", "exports = () => [require('conditional'), require('conditional/feature'), require('conditional/utils/math').add(2, 3),"
                        + " require('conditional/package.json').name, require('dep').version];")
                .function("notExported", "exports = () => { try { require('conditional/hidden.js'); } catch (e) { return e.code + ': ' + e.message; } };")
                .function("scoped", "exports = () => require('@scope/pkg');")
                .function("interop", "exports = () => [require('esModule').default(), typeof require('noMain').default, require('noMain').default === require('noMain'),"
                        + " Object.keys(require('plain')).includes('default')];")
                .function("placeholder", "exports = () => [typeof require('crypto').createHash, require('crypto/index.js')];")
                .function("native", "exports = () => { try { require('native'); } catch (e) { return e.code + ': ' + e.message; } };")
                .function("esmOnly", "exports = () => { try { require('esmOnly'); } catch (e) { return e.code + ': ' + e.message; } };")
                .function("esmByType", "exports = () => { try { require('esmByType'); } catch (e) { return e.code + ': ' + e.message; } };")
                .function("missing", "exports = () => require('left-pad');")
                .function("circular", "exports = () => require('circular').fromB;")
                .function("escapes", "exports = () => { try { return require('escapes'); } catch (e) { return e.code; } };")
                .function("builtinsFromPackages", "exports = () => require('usesBuiltins');")
                .function("resolve", "exports = () => [require.resolve('plain'), require.resolve('node:path')];")
                .function("cachedPerRequest", "exports = () => require('plain') === require('plain/lib/main.js');")
                .build()).functionsDirectory(functions).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static void write(String path, String text) throws IOException {
        Path file = functions.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void mainIndexFilesSubpathsAndJson() {
        assertThat(value(engine, "main")).isEqualTo(ejson("[\"plain\", \"/node_modules/plain/lib\", \"helper of plain\", \"extra index\", \"index\"]"));
        assertThat(value(engine, "scoped")).isEqualTo(ejson("{\"scoped\": true, \"self\": \"sub\"}"));
    }

    @Test
    void exportsConditionsPatternsAndNestedNodeModules() {
        assertThat(value(engine, "conditions")).isEqualTo(ejson("[{\"kind\": \"cjs\", \"dep\": \"2.0.0\"}, \"node feature\", 5, \"conditional\", \"1.0.0\"]"));
        assertThat(value(engine, "notExported")).isEqualTo(new BsonString(
                "ERR_PACKAGE_PATH_NOT_EXPORTED: require('conditional/hidden.js'): package conditional does not export ./hidden.js for require()"));
    }

    @Test
    void defaultInteropForTranspiledImports() {
        assertThat(value(engine, "interop")).isEqualTo(ejson("[\"es default\", \"function\", true, false]"));
    }

    @Test
    void coreModulesWinOverNpmPlaceholdersOfTheSameName() {
        assertThat(value(engine, "placeholder")).isEqualTo(ejson("[\"function\", \"the npm placeholder\"]"));
    }

    @Test
    void nativeAddonsAndEsModulesFailWithAClearMessage() {
        assertThat(value(engine, "native").asString().getValue()).isEqualTo(
                "ERR_THIMBLE_NATIVE: require(): node_modules/native/binding.node is a native addon; Thimble functions run JavaScript only (use a pure-JavaScript package instead)");
        assertThat(value(engine, "esmOnly").asString().getValue()).isEqualTo("ERR_REQUIRE_ESM: require('esmOnly'): package esmOnly is an ES module,"
                + " and functions load CommonJS packages with require() (as in App Services); use a version of esmOnly that ships CommonJS");
        assertThat(value(engine, "esmByType").asString().getValue()).startsWith("ERR_REQUIRE_ESM: require('esmByType'): package esmByType is an ES module");
    }

    @Test
    void cyclesResolveLikeNode() {
        assertThat(value(engine, "circular")).isEqualTo(new org.bson.BsonInt32(1));
    }

    @Test
    void nothingOutsideTheFunctionsFolderIsReachable() {
        assertThat(value(engine, "escapes")).isEqualTo(new BsonString("MODULE_NOT_FOUND"));
    }

    @Test
    void packagesUseTheBuiltInsAndModulesAreCachedPerRequest() {
        assertThat(value(engine, "builtinsFromPackages")).isEqualTo(new BsonString("/+function"));
        assertThat(value(engine, "resolve")).isEqualTo(ejson("[\"/node_modules/plain/lib/main.js\", \"path\"]"));
        assertThat(value(engine, "cachedPerRequest")).isEqualTo(org.bson.BsonBoolean.TRUE);
    }

    @Test
    void aMissingPackageSaysWhereToAddIt() {
        FunctionResult result = run(engine, "missing");
        assertThat(result.error().message()).isEqualTo("Cannot find module 'left-pad': it is not in the app's functions/node_modules;"
                + " add it to functions/package.json (with its lock file) or put the package under functions/node_modules");
        assertThat(result.error().stack()).anyMatch(frame -> frame.contains("functions/missing/source.js:1"));
    }
}
