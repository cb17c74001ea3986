package dev.awsonboard.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-module form of a hexagon, checked by the build: the domain ({@code lifecycle}) knows
 * no Slack, AWS or JDBC type and none of the adapters; its values ({@code model}) know nothing of
 * the rest of it, and its ports ({@code port}) only the values. Walks the sources, so a fully
 * qualified name in the code counts as much as an import.
 */
class DomainBoundariesTest {
    private static final Path DOMAIN = Path.of("src/main/java/dev/awsonboard/lifecycle");
    /** What the domain must never name. */
    private static final List<String> FOREIGN = List.of("com.slack.", "software.amazon.", "java.sql.", "javax.sql.",
            "io.javalin.", "org.eclipse.jetty.", "org.flywaydb.", "com.zaxxer.", "com.google.zxing.",
            "dev.awsonboard.slack.", "dev.awsonboard.store.", "dev.awsonboard.iam.", "dev.awsonboard.web.",
            "dev.awsonboard.metrics.", "dev.awsonboard.startup.", "dev.awsonboard.doctor.", "dev.awsonboard.Bot",
            "dev.awsonboard.Main");
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z][a-z0-9_]*\\.)+[A-Za-z_][\\w]*)");

    @Test
    void theDomainNamesNoSlackAwsOrJdbcTypeAndNoAdapter() {
        List<String> offences = new ArrayList<>();
        for (Path file : sources(DOMAIN)) {
            for (String name : qualifiedNames(file)) {
                FOREIGN.stream().filter(name::startsWith).findFirst()
                        .ifPresent(f -> offences.add(DOMAIN.relativize(file) + " names " + name));
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theValuesKnowNothingOfTheUseCasesOrThePorts() {
        assertThat(namesIn(DOMAIN.resolve("model"), "dev.awsonboard.lifecycle.")
                .stream().filter(n -> !n.startsWith("dev.awsonboard.lifecycle.model.")).toList()).isEmpty();
    }

    @Test
    void thePortsKnowOnlyTheValues() {
        assertThat(namesIn(DOMAIN.resolve("port"), "dev.awsonboard.lifecycle.").stream()
                .filter(n -> !n.startsWith("dev.awsonboard.lifecycle.model.") && !n.startsWith("dev.awsonboard.lifecycle.port."))
                .toList()).isEmpty();
    }

    @Test
    void theWalkSeesImportsAndQualifiedNamesButNotCommentsOrStrings() throws IOException {
        Path probe = Files.createTempFile("Probe", ".java");
        Files.writeString(probe, """
                package x;
                import com.slack.api.Slack;
                // java.sql.Connection in a comment
                class Probe { String s = "software.amazon.awssdk"; java.sql.Connection c; }
                """);
        assertThat(qualifiedNames(probe)).contains("com.slack.api.Slack", "java.sql.Connection")
                .noneMatch(n -> n.startsWith("software.amazon"));
        assertThat(qualifiedNames(probe).stream().filter(n -> n.equals("java.sql.Connection"))).hasSize(1);
        Files.delete(probe);
    }

    private static List<String> namesIn(Path dir, String prefix) {
        List<String> names = new ArrayList<>();
        for (Path file : sources(dir)) {
            qualifiedNames(file).stream().filter(n -> n.startsWith(prefix)).forEach(n -> names.add(dir.relativize(file) + ": " + n));
        }
        return names.stream().map(n -> n.substring(n.indexOf(": ") + 2)).toList();
    }

    private static List<Path> sources(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertThat(all).as("sources under " + dir).isNotEmpty();
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dotted name in the code (imports included), comments and string literals left out. */
    static List<String> qualifiedNames(Path file) {
        String code;
        try {
            code = withoutCommentsAndStrings(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        code = code.replaceFirst("(?m)^package [\\w.]+;", "");
        List<String> names = new ArrayList<>();
        Matcher m = QUALIFIED.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                int j = s.indexOf('\n', i);
                i = j < 0 ? s.length() : j;
            } else if (s.startsWith("/*", i)) {
                int j = s.indexOf("*/", i + 2);
                i = j < 0 ? s.length() : j + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int j = s.indexOf("\"\"\"", i + 3);
                i = j < 0 ? s.length() : j + 3;
                out.append("\"\"");
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i);
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != quote) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(quote).append(quote);
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }
}
