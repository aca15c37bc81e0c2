package dev.thimble.runtime.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoriesTest {

    private static final Map<String, String> NOTHING = Map.of();

    @Test
    void theSystemPropertyNamesTheHome() {
        Path home = DataDirectories.home(Map.of("thimble.home", "/srv/thimble", "user.home", "/home/a")::get,
                Map.of("THIMBLE_HOME", "/elsewhere")::get);
        assertThat(home).isEqualTo(Path.of("/srv/thimble"));
    }

    @Test
    void theEnvironmentVariableNamesTheHomeWhenThePropertyIsUnset() {
        Path home = DataDirectories.home(Map.of("user.home", "/home/a")::get, Map.of("THIMBLE_HOME", "/opt/t")::get);
        assertThat(home).isEqualTo(Path.of("/opt/t"));
    }

    @Test
    void theHomeDefaultsToDotThimbleInTheUsersHome() {
        assertThat(DataDirectories.home(Map.of("user.home", "/home/a")::get, NOTHING::get))
                .isEqualTo(Path.of("/home/a/.thimble"));
    }

    @Test
    void anAppsDataLivesUnderAppsItsIdData() {
        assertThat(DataDirectories.forApp(Path.of("/srv/thimble"), "todo-abcde"))
                .isEqualTo(Path.of("/srv/thimble/apps/todo-abcde/data"));
    }

    @Test
    void forAppUsesTheConfiguredHome() {
        String before = System.getProperty("thimble.home");
        System.setProperty("thimble.home", "/tmp/thimble-home-test");
        try {
            assertThat(DataDirectories.forApp("todo-abcde")).isEqualTo(Path.of("/tmp/thimble-home-test/apps/todo-abcde/data"));
        } finally {
            if (before == null) {
                System.clearProperty("thimble.home");
            } else {
                System.setProperty("thimble.home", before);
            }
        }
    }

    @Test
    void anIdThatIsNotASafeDirectoryNameIsRejected() {
        for (String id : new String[] {"../etc", "a/b", "", ".hidden", "a..b", "a\\b"}) {
            assertThatThrownBy(() -> DataDirectories.forApp(Path.of("/h"), id)).as(id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot name a data directory");
        }
    }
}
