package dev.awsonboard.scan;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes down every test the suite skipped or aborted, with the reason, under target/skipped-tests (one file
 * per test JVM): Surefire prints only a count, and its console does not show the test JVMs' output.
 * {@link NothingSkippedIT} fails the build on any, naming each with its reason. Registered through
 * META-INF/services for the JUnit Platform launcher.
 */
public final class SkippedTests implements TestExecutionListener {
    static final Path DIR = Path.of("target", "skipped-tests");

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, "skipped: " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, "aborted: " + result.getThrowable().map(Throwable::getMessage).orElse("(no reason given)"));
        }
    }

    private static synchronized void record(TestIdentifier test, String why) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("skipped-" + ProcessHandle.current().pid() + ".txt"),
                    test.getUniqueId() + " -- " + why.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
