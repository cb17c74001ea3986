package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.SlackSignature;
import dev.awsonboard.slack.webapi.SlackClients;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningSecretVerifierTest {
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final long NOW = 1_531_420_618_000L;
    final SigningSecretVerifier verifier = new SigningSecretVerifier(SECRET);

    @Test
    void acceptsSlacksPublishedExampleAndRejectsItWithOneThingChanged() throws Exception {
        // the example of Slack's "Verifying requests" guide (test resource vectors/slack-signing.txt)
        java.util.Map<String, String> v = new java.util.HashMap<>();
        try (var in = getClass().getResourceAsStream("/vectors/slack-signing.txt")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && l.contains("="))
                    .forEach(l -> v.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        }
        SigningSecretVerifier published = new SigningSecretVerifier(v.get("signing_secret"));
        String timestamp = v.get("timestamp");
        String body = v.get("body");
        String signature = v.get("signature");
        long now = Long.parseLong(timestamp) * 1000;

        assertThat(published.isValid(timestamp, body, signature, now)).isTrue();
        assertThat(published.isValid(timestamp, body + "x", signature, now)).isFalse();
        assertThat(published.isValid(Long.toString(Long.parseLong(timestamp) - 1), body, signature, now)).isFalse();
        assertThat(published.isValid(timestamp, body, signature.replace('a', 'b'), now)).isFalse();
    }

    @Test
    void agreesWithBoltsOwnVerifierOnRandomAsciiBodiesAndSignatures() {
        SlackSignature.Verifier bolt = new SlackSignature.Verifier(new SlackSignature.Generator(SECRET));
        SlackSignature.Generator generator = new SlackSignature.Generator(SECRET);
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String body = randomAscii(random, random.nextInt(400));
            String timestamp = Long.toString(NOW / 1000 - random.nextInt(600));
            String good = generator.generate(timestamp, body);
            String signature = switch (random.nextInt(3)) {
                case 0 -> good;
                case 1 -> good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0");
                default -> "v0=" + randomAscii(random, 64);
            };
            assertThat(verifier.isValid(timestamp, body, signature, NOW)).as(body)
                    .isEqualTo(bolt.isValid(timestamp, body, signature, NOW));
        }
    }

    @Test
    void hashesTheBodyAsUtf8AsSlackSendsItWhateverTheJvmsDefaultCharset() throws Exception {
        String body = "{\"event\":{\"type\":\"message\",\"text\":\"コードは 123456 と 654321 です\"}}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String slackSigned = "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:1531420618:" + body).getBytes(StandardCharsets.UTF_8)));

        assertThat(verifier.isValid("1531420618", body, slackSigned, NOW)).isTrue();
    }

    @Test
    void refusesExpiredMissingAndMalformedTimestampsAndAMissingSignature() {
        String body = "command=%2Faws-onboard";
        String timestamp = Long.toString(NOW / 1000 - 301);
        String signature = new String(verifier.sign(timestamp, body), StandardCharsets.US_ASCII);

        assertThat(verifier.isValid(timestamp, body, signature, NOW)).as("older than five minutes").isFalse();
        assertThat(verifier.isValid(null, body, signature, NOW)).isFalse();
        assertThat(verifier.isValid("soon", body, "v0=00", NOW)).isFalse();
        assertThat(verifier.isValid(Long.toString(NOW / 1000), body, null, NOW)).isFalse();
    }

    @Test
    void threadsSigningAtOnceEachGetTheRightAnswer() throws Exception {
        SlackSignature.Generator generator = new SlackSignature.Generator(SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String body = "n=" + i;
                results.add(pool.submit(() -> verifier.isValid("1531420618", body, generator.generate("1531420618", body), NOW)));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theBotsBoltAppChecksSignaturesWithThisVerifierInBoltsOwnPlaceInTheChain() throws Exception {
        List<?> chain;
        try (dev.awsonboard.fakes.FakeSlack slack = dev.awsonboard.fakes.FakeSlack.start()) {
            com.slack.api.bolt.App app = new VerifyingApp(com.slack.api.bolt.AppConfig.builder()
                    .slack(SlackClients.slack(slack.apiUrl())).signingSecret(SECRET).singleTeamBotToken(slack.botToken()).build());
            app.use((req, resp, next) -> next.next(req)); // Bolt builds its chain on the first use(), as SlackApp.build does

            // Bolt offers no getter for its chain: read the field, so a Bolt upgrade that moves it fails here
            java.lang.reflect.Field field = com.slack.api.bolt.App.class.getDeclaredField("middlewareList");
            field.setAccessible(true);
            chain = (List<?>) field.get(app);
        }

        java.lang.reflect.Field inner = com.slack.api.bolt.middleware.builtin.RequestVerification.class.getDeclaredField("verifier");
        inner.setAccessible(true);
        assertThat(chain).filteredOn(m -> m instanceof com.slack.api.bolt.middleware.builtin.RequestVerification).singleElement()
                .satisfies(m -> assertThat(inner.get(m)).isInstanceOf(SigningSecretVerifier.class));
        assertThat(chain.get(1)).as("right after the SSL check, before authorization").isInstanceOf(com.slack.api.bolt.middleware.builtin.RequestVerification.class);
    }

    @Test
    void aBlankSecretIsRefusedAtOnce() {
        assertThatThrownBy(() -> new SigningSecretVerifier(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String randomAscii(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (32 + random.nextInt(95)));
        }
        return s.toString();
    }
}
