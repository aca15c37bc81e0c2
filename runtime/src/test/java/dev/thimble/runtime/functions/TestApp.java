package dev.thimble.runtime.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ValueDef;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Builds small app models for tests: functions from source text, with optional config. */
final class TestApp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Json metadata = Json.parse("{\"name\":\"testapp\",\"app_id\":\"testapp-abcde\",\"location\":\"US-VA\",\"deployment_model\":\"GLOBAL\"}");
    private final List<FunctionDef> functions = new ArrayList<>();
    private final List<ServiceDef> services = new ArrayList<>();
    private final List<ValueDef> values = new ArrayList<>();
    private final List<EnvironmentDef> environments = new ArrayList<>();

    static TestApp app() {
        return new TestApp();
    }

    TestApp metadata(String json) {
        metadata = Json.parse(json);
        return this;
    }

    TestApp function(String name, String source) {
        return function(name, "{}", source);
    }

    /** {@code configJson} is merged over a default config with {@code name}. */
    TestApp function(String name, String configJson, String source) {
        ObjectNode config = (ObjectNode) Json.parse(configJson).object();
        config.put("name", name);
        functions.add(new FunctionDef(Json.of(config), source));
        return this;
    }

    TestApp service(String name, String type) {
        services.add(new ServiceDef(Json.parse("{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"config\":{}}"),
                List.of(), null, List.of(), List.of()));
        return this;
    }

    TestApp value(String name, String valueJson, boolean fromSecret) {
        ObjectNode node = JSON.createObjectNode().put("name", name).put("from_secret", fromSecret);
        try {
            node.set("value", JSON.readTree(valueJson));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        values.add(new ValueDef(Json.of(node)));
        return this;
    }

    TestApp environment(String tag, String valuesJson) {
        environments.add(new EnvironmentDef(tag, Json.parse("{\"values\":" + valuesJson + "}")));
        return this;
    }

    AppModel build() {
        return new AppModel(metadata, List.of(), functions, services, List.of(), values, List.of(), environments, List.of(), new TreeMap<>());
    }
}
