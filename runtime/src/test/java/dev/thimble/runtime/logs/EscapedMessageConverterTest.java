package dev.thimble.runtime.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The server log (logback.xml of thimble serve and the workbench) writes one line per event, whatever a client sent. */
class EscapedMessageConverterTest {

    @Test
    void theServerLogEscapesLineBreaksAndTerminalEscapesInMessages() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        ConsoleAppender<?> appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("ERR");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();

        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.thimble.runtime.auth.AuthService"), Level.INFO,
                "Mail to {}: \"{}\"", null, new Object[] {"ann@example.com\n12:00:00.000 ERROR forged\u001b[2J", "Reset"});
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("Mail to ann@example.com\\n12:00:00.000 ERROR forged\\u001b[2J: \"Reset\"" + System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\u001b");
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(EscapedMessageConverter.escape("Serving app todo (todo-thmbl) at http://127.0.0.1:8080 — ok"))
                .isEqualTo("Serving app todo (todo-thmbl) at http://127.0.0.1:8080 — ok");
        assertThat(EscapedMessageConverter.escape("a\tb\rc\u2028d\u0085")).isEqualTo("a\\tb\\rc\\u2028d\\u0085");
    }
}
