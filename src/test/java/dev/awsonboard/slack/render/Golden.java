package dev.awsonboard.slack.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.util.json.GsonFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected outputs kept under {@code src/test/resources/golden/}, compared whole. After a deliberate
 * change, rewrite them with {@code mvn test -Dtest='HomeTest,MessagesGoldenTest' -Dgolden.update=true} and review the diff.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {
    }

    /** What the Slack SDK sends for {@code value} (its own Gson, snake_case), pretty-printed so diffs read well. */
    static String json(Object value) {
        return pretty(tree(value));
    }

    /** A tree as a golden file holds it. */
    static String pretty(JsonNode tree) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What the Slack SDK sends for {@code value}, as a tree to be put together with others into one golden file. */
    static JsonNode tree(Object value) {
        try {
            return JSON.readTree(GsonFactory.createSnakeCase().toJson(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
            assertThat(actual).as("%s differs from its golden file; if the change is meant, rewrite it with"
                    + " -Dgolden.update=true and review the diff", name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
