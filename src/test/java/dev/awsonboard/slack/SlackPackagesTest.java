package dev.awsonboard.slack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code slack} is split by direction, and each part uses only those below it: {@code language} nothing else of
 * {@code slack}; {@code render} only {@code language}; {@code webapi} only those two; {@code inbound} any. Nothing
 * outside {@code slack} uses a listener. Read from the sources' imports and qualified names.
 */
class SlackPackagesTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern USE = Pattern.compile("\\bdev\\.awsonboard\\.slack\\.(\\w+)\\.([A-Z]\\w*|\\*)");

    /** Each slack class a source file names, as {@code subpackage.Class}, with the file. */
    private record Use(Path file, String subpackage, String type) {
        @Override
        public String toString() {
            return MAIN.relativize(file) + " uses slack." + subpackage + "." + type;
        }
    }

    private static List<Use> uses(String under) {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(under))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = USE.matcher(code(Files.readString(file, StandardCharsets.UTF_8)));
                while (m.find()) {
                    uses.add(new Use(file, m.group(1), m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** The source without its comments, where a {@code {@link}} names a class without using it. */
    private static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    private static List<Use> usesOf(String from, List<String> allowed) {
        return uses("dev/awsonboard/slack/" + from).stream().filter(u -> !allowed.contains(u.subpackage())).toList();
    }

    @Test
    void languageUsesNoOtherPartOfSlack() {
        assertThat(usesOf("language", List.of("language"))).isEmpty();
    }

    @Test
    void renderingUsesOnlyTheLanguages() {
        assertThat(usesOf("render", List.of("render", "language"))).isEmpty();
    }

    @Test
    void theWebApiAdaptersUseRenderingAndLanguagesButNoListener() {
        assertThat(usesOf("webapi", List.of("webapi", "render", "language"))).isEmpty();
    }

    @Test
    void slackHoldsOnlyItsFourParts() throws IOException {
        try (Stream<Path> entries = Files.list(MAIN.resolve("dev/awsonboard/slack"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("inbound", "language", "render", "webapi");
        }
    }

    @Test
    void nothingOutsideSlackUsesAListener() {
        Path slack = MAIN.resolve("dev/awsonboard/slack");
        List<Use> outside = uses("dev/awsonboard").stream().filter(u -> !u.file().startsWith(slack)).toList();
        assertThat(outside).as("what outside slack uses of it").isNotEmpty();
        assertThat(outside).filteredOn(u -> u.type().endsWith("Listener") || u.type().equals("*")).isEmpty();
    }
}
