package dev.awsonboard.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.List;

/**
 * The bot's logging, set up in code (found by logback through {@code META-INF/services}): Joran
 * reading an XML file took about 0.3 s of every start, a quarter of it.
 * <ul>
 * <li>One console appender: one JSON object per line ({@link JsonLineEncoder}), or the human
 * pattern with {@code LOG_FORMAT=text} ({@link LogFormat}).</li>
 * <li>Library loggers at WARN, everything else at INFO.</li>
 * <li>{@link BodyLoggersFilter}: whatever level an operator sets, no library logger that prints
 * HTTP bodies speaks below INFO.</li>
 * </ul>
 * An operator's own file ({@code -Dlogback.configurationFile=...}) and a {@code logback-test.xml} on
 * the class path (the test suite's) still take over: logback then reads them as usual.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
    /** Loggers that are quiet below WARN. Messages never carry secrets, at any level; see DESIGN.md. */
    static final List<String> LIBRARIES = List.of("com.slack.api", "software.amazon.awssdk", "org.eclipse.jetty", "io.javalin",
            "com.zaxxer.hikari", "org.flywaydb");
    static final String TEXT_PATTERN = "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogbackSetup.class.getClassLoader();
        boolean fileGiven = System.getProperty("logback.configurationFile") != null
                || (loader != null && loader.getResource("logback-test.xml") != null);
        return configure(context, fileGiven, System.getenv("LOG_FORMAT"));
    }

    static ExecutionStatus configure(LoggerContext context, boolean fileGiven, String logFormat) {
        if (fileGiven) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback's own file lookup goes on from here
        }
        apply(context, logFormat);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} for {@code logFormat} (the value of LOG_FORMAT, may be null). */
    public static void apply(LoggerContext context, String logFormat) {
        BodyLoggersFilter bodies = new BodyLoggersFilter();
        bodies.setContext(context);
        bodies.start();
        context.addTurboFilter(bodies);

        Encoder<ILoggingEvent> encoder;
        if (LogFormat.appender(logFormat).equals("TEXT")) {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(TEXT_PATTERN);
            encoder = pattern;
        } else {
            encoder = new JsonLineEncoder();
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName(LogFormat.appender(logFormat));
        console.setContext(context);
        console.setEncoder(encoder);
        console.start();

        for (String library : LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }
}
