package dev.awsonboard.slack.language;

import dev.awsonboard.lifecycle.model.Reason;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two word files side by side, read as files (a ResourceBundle would quietly fill a missing
 * Japanese key from the English parent): same keys, same placeholders, every text translated.
 */
class TranslationsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)(?:,([a-z]+))?}");
    /** Inline code (commands, file names, examples) and emoji shortcodes are the same in every language. */
    private static final Pattern NEUTRAL = Pattern.compile("`[^`]*`|:[a-z_]+:");
    private static final Pattern JAPANESE_SCRIPT = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
    private static final Map<String, String> EN = load("i18n/messages.properties");
    private static final Map<String, String> JA = load("i18n/messages_ja.properties");

    private static Map<String, String> load(String resource) {
        Properties p = new Properties();
        try (InputStream in = TranslationsTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing " + resource);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, String> texts = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> texts.put(k, p.getProperty(k)));
        return texts;
    }

    /** name,type of each placeholder, in order of first appearance, without repeats. */
    private static List<String> placeholders(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        TreeSet<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group(1) + "," + (m.group(2) == null ? "text" : m.group(2)));
        }
        return new ArrayList<>(found);
    }

    /** What a reader reads: the text without placeholders, inline code and emoji. */
    private static String words(String text) {
        return NEUTRAL.matcher(PLACEHOLDER.matcher(text).replaceAll("")).replaceAll("");
    }

    @Test
    void bothLanguagesHaveExactlyTheSameKeys() {
        assertThat(JA.keySet()).as("keys only in Japanese").isSubsetOf(EN.keySet());
        assertThat(EN.keySet()).as("keys missing in Japanese").isSubsetOf(JA.keySet());
        assertThat(EN).hasSizeGreaterThan(200);
    }

    @Test
    void everyKeyHasTheSamePlaceholdersWithTheSameTypesInBothLanguages() {
        List<String> mismatches = new ArrayList<>();
        for (String key : EN.keySet()) {
            if (JA.containsKey(key) && !placeholders(EN.get(key)).equals(placeholders(JA.get(key)))) {
                mismatches.add(key + ": en " + placeholders(EN.get(key)) + " ja " + placeholders(JA.get(key)));
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void noTextIsBlank() {
        EN.forEach((k, v) -> assertThat(v).as("en " + k).isNotBlank());
        JA.forEach((k, v) -> assertThat(v).as("ja " + k).isNotBlank());
    }

    @Test
    void everyJapaneseTextIsTranslatedUnlessItHasNoWordsToTranslate() {
        List<String> untranslated = new ArrayList<>();
        for (String key : JA.keySet()) {
            String ja = JA.get(key);
            boolean hasWords = words(EN.getOrDefault(key, "")).chars().anyMatch(Character::isLetter);
            if (hasWords && (ja.equals(EN.get(key)) || !JAPANESE_SCRIPT.matcher(words(ja)).find())) {
                untranslated.add(key);
            }
        }
        assertThat(untranslated).as("Japanese texts still in English").isEmpty();
    }

    @Test
    void everyReasonAndStatusAndKindHasJapaneseWords() {
        for (Reason reason : Reason.values()) {
            assertThat(JA).containsKey("reason." + reason.name());
        }
        for (dev.awsonboard.lifecycle.model.Status status : dev.awsonboard.lifecycle.model.Status.values()) {
            assertThat(JA).containsKey("status." + status.name());
        }
        for (dev.awsonboard.lifecycle.model.Kind kind : dev.awsonboard.lifecycle.model.Kind.values()) {
            assertThat(JA).containsKeys("kind." + kind.name(), "kind.title." + kind.name());
        }
    }

    @Test
    void helpExamplesStayCommandsInJapanese() {
        List<String> enCommands = commands(EN.get("help.text"));
        List<String> jaCommands = commands(JA.get("help.text"));
        assertThat(jaCommands).hasSameSizeAs(enCommands);
        for (int i = 0; i < enCommands.size(); i++) {
            // The command and its sub-command are typed as they are; only the free-text parts may differ.
            assertThat(firstWords(jaCommands.get(i))).as(jaCommands.get(i)).isEqualTo(firstWords(enCommands.get(i)));
        }
    }

    private static List<String> commands(String help) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("`(/aws-onboard[^`]*)`").matcher(help);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String firstWords(String command) {
        String[] parts = command.split(" ");
        return parts.length > 1 && parts[1].matches("[a-z-]+") ? parts[0] + " " + parts[1] : parts[0];
    }

    @Test
    void theJapaneseTextsRenderWithoutLeftoverPlaceholders() {
        Texts ja = Texts.of(Texts.JAPANESE);
        assertThat(ja.get("reason.SUBMITTED", "id", "r-1", "kind", "ONBOARD", "user", "sampleUser"))
                .isEqualTo("受け付けました: 申請 `r-1`、IAM ユーザー `sampleUser` のオンボーディングです。内容を確認してから承認者に依頼します。");
        assertThat(ja.get("reason.NOT_APPROVED_IN_TIME", "duration", "P7D")).isEqualTo("7 日以内に誰も承認しませんでした");
        assertThat(ja.get("status.mfa.on", "types", "x")).doesNotContain("{");
    }
}
