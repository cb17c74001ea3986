package dev.awsonboard.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The variables help prints are README's table, and every variable the code reads is among them. */
class VariablesTest {

    @Test
    void readmeTableListsExactlyTheVariablesHelpPrints() throws IOException {
        List<String> rows = readmeTableRows();

        assertThat(rows).extracting(r -> r.split("\\|")[1].strip().replace("`", ""))
                .containsExactlyElementsOf(Variables.ALL.stream().map(Variables.Variable::name).toList());
    }

    @Test
    void everyVariableTheCodeReadsIsDocumented() throws IOException {
        // A string literal that is a whole variable name: the loader, doctor and Main pass names around as such.
        Pattern read = Pattern.compile("\"([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT)\"");
        Set<String> readByCode = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            // The demo and the fakes it runs set the bot's variables, they do not read them (DEMO_PORT is in help's demo line).
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("Variables.java")
                    && !f.toString().contains("/demo/") && !f.toString().contains("/fakes/")).toList()) {
                Matcher m = read.matcher(Files.readString(file));
                while (m.find()) {
                    readByCode.add(m.group(1));
                }
            }
        }

        assertThat(readByCode).contains("SLACK_BOT_TOKEN", "LOG_FORMAT", "PORT", "AWS_ENDPOINT_URL_STS");
        assertThat(Variables.ALL.stream().map(Variables.Variable::name)).containsAll(readByCode);
        assertThat(Variables.ALL.stream().map(Variables.Variable::name)).doesNotHaveDuplicates();
    }

    private static List<String> readmeTableRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int header = lines.indexOf("| variable | required | meaning |");
        assertThat(header).as("README's table of variables").isNotNegative();
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            rows.add(line);
        }
        return rows;
    }
}
