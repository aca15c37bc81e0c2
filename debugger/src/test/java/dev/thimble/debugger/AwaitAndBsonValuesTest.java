package dev.thimble.debugger;

import dev.thimble.runtime.functions.FunctionResult;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A breakpoint on an await line stops once per arrival; BSON values read as values; context is in the variables. */
class AwaitAndBsonValuesTest extends DebugEngineTestBase {
    @Test
    void aBreakpointOnAnAwaitLineStopsOnceNotAgainWhenTheAwaitResumes() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/saveNote/source.js", 3));
        CompletableFuture<FunctionResult> result = run("saveNote", new org.bson.BsonString("once"));
        PauseSnapshot p = pauses.next();
        assertThat(p.top().line()).isEqualTo(3);
        pauses.control(p).resume();
        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error()).isNull();
        assertThat(pauses.none(0)).as("no second pause when the await on line 3 resumed").isTrue();
    }

    @Test
    void aLoopArrivingAtTheAwaitLineAgainStopsOncePerArrival() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/awaitTwice/source.js", 4));
        CompletableFuture<FunctionResult> result = run("awaitTwice", new BsonInt32(2));
        for (int arrival = 0; arrival < 2; arrival++) {
            PauseSnapshot p = pauses.next();
            assertThat(p.top().line()).isEqualTo(4);
            String i = p.scopes().stream().flatMap(s -> s.variables().stream()).filter(v -> v.name().equals("i"))
                    .findFirst().orElseThrow().display();
            assertThat(i).as("arrival %d sees its own loop index", arrival).isEqualTo(String.valueOf(arrival));
            pauses.control(p).resume();
        }
        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error()).isNull();
        assertThat(pauses.none(0)).as("two arrivals, two pauses, nothing for the resumptions").isTrue();
    }

    @Test
    void bsonValuesReadAsValuesAndContextIsAmongTheVariables() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/bsonValues/source.js", 9));
        CompletableFuture<FunctionResult> result = run("bsonValues");
        PauseSnapshot p = pauses.next();
        Map<String, VariableSnapshot> vars = p.scopes().stream().flatMap(s -> s.variables().stream())
                .collect(Collectors.toMap(VariableSnapshot::name, v -> v, (a, b) -> a));
        assertThat(vars.get("id").display()).isEqualTo("ObjectId(\"65a0000000000000000000ff\")");
        assertThat(vars.get("id").expandable()).isFalse();
        assertThat(vars.get("when").display()).isEqualTo("Date(\"2026-01-02T03:04:05.000Z\")");
        assertThat(vars.get("price").display()).isEqualTo("Decimal128(\"12.50\")");
        assertThat(vars.get("big").display()).isEqualTo("Long(\"9007199254740993\")");
        assertThat(vars.get("blob").display()).isEqualTo("Binary(\"AAEC\", 0)");
        assertThat(vars.get("uuid").display()).isEqualTo("UUID(\"01234567-89ab-cdef-0123-456789abcdef\")");
        assertThat(vars.get("doc").display()).contains("_id: ObjectId(\"65a0000000000000000000ff\")", "at: Date(\"2026-01-02T03:04:05.000Z\")");
        assertThat(vars.get("doc").expandable()).isTrue();
        assertThat(vars).containsKey("context");
        assertThat(vars.get("context").expandable()).isTrue();
        pauses.control(p).resume();
        assertThat(result.get(30, TimeUnit.SECONDS).error()).isNull();
    }
}
