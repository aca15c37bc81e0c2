package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules under the readers and the writer: layout detection order, JSON text, client app ids. */
class BundleFormatsTest {

    @Test
    void layoutDetectionPrefersRootConfigThenRealmConfigThenVersionedConfigThenStitch(@TempDir Path dir) {
        Fixtures.write(dir.resolve("stitch.json"), "{}");
        assertThat(LayoutDetector.detect(dir)).contains(Layout.STITCH_2018);
        Fixtures.write(dir.resolve("config.json"), "{ \"name\": \"a function config, no version\" }");
        assertThat(LayoutDetector.detect(dir)).contains(Layout.STITCH_2018);
        Fixtures.write(dir.resolve("config.json"), "{ \"config_version\": 20200603 }");
        assertThat(LayoutDetector.detect(dir)).contains(Layout.REALM_V1);
        Fixtures.write(dir.resolve("realm_config.json"), "{}");
        assertThat(LayoutDetector.detect(dir)).contains(Layout.REALM_V2);
        Fixtures.write(dir.resolve("root_config.json"), "{}");
        assertThat(LayoutDetector.detect(dir)).contains(Layout.APP_SERVICES);
    }

    @Test
    void jsonTextEscapesLikeJsonStringifyAndKeepsOtherCharacters() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("s", "quote \" backslash \\ newline \n tab \t bell \u0007 slash / é 😀");
        node.putArray("empty");
        node.putObject("none");
        node.put("n", 1.0E10);
        assertThat(JsonFiles.text(node)).isEqualTo("""
                {
                  "s": "quote \\" backslash \\\\ newline \\n tab \\t bell \\u0007 slash / é 😀",
                  "empty": [],
                  "none": {},
                  "n": 1.0E10
                }
                """);
    }

    @Test
    void derivedClientAppIdIsTheSluggedNameAndFiveLettersFromItsHash() {
        String id = ClientAppIds.derive("My App!");
        assertThat(id).matches("my-app--[a-z]{5}");
        assertThat(ClientAppIds.derive("My App!")).isEqualTo(id);
        assertThat(ClientAppIds.derive("My App?")).isNotEqualTo(ClientAppIds.derive("My App!"));
        assertThat(ClientAppIds.namePart("todo-abcde")).isEqualTo("todo");
        assertThat(ClientAppIds.namePart("plainname")).isEqualTo("plainname");
    }
}
