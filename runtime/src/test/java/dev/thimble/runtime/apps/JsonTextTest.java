package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest {
    @Test
    void formatsLikeTheBundleFiles() {
        Json json = Json.parse("{\"name\":\"a\",\"list\":[1,2],\"empty\":{}}");
        assertThat(JsonText.format(json)).isEqualTo("""
                {
                  "name": "a",
                  "list": [
                    1,
                    2
                  ],
                  "empty": {}
                }""");
    }

    @Test
    void theFirstErrorHasItsLineAndColumn() {
        assertThat(JsonText.checkObject("{\n  \"a\": 1,\n  \"b\" 2\n}")).hasValueSatisfying(error -> {
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.column()).isEqualTo(7);
        });
    }

    @Test
    void anArrayIsNotAConfigObject() {
        assertThat(JsonText.checkObject("[1]")).hasValueSatisfying(error -> assertThat(error.message()).contains("object"));
    }

    @Test
    void trailingGarbageIsAnError() {
        assertThat(JsonText.checkObject("{} x")).isPresent();
    }
}
