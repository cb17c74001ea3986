package dev.awsonboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.fakes.Totp;

import org.awaitility.Awaitility;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Not a test: starts the built jar (target/aws-onboard.jar) as its own process against
 * the in-process Slack and IAM fakes, and prints start-up time to ready, memory, and the
 * latency of each Slack round trip over a number of complete onboardings.
 *
 * <pre>
 * mvn -q -B package -DskipTests && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.awsonboard.bench.OnboardingBenchmark [onboardings]
 * </pre>
 */
public final class OnboardingBenchmark {
    private static final String SECRET = "bench-signing-secret-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path jar = Path.of("target", "aws-onboard.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: mvn -q -B package -DskipTests");
        }
        Path dir = Files.createTempDirectory("onboard-bench");
        try (FakeIam iam = FakeIam.start(Clock.fixed(NOW, ZoneOffset.UTC), 7); FakeSlack slack = FakeSlack.start()) {
            iam.createGroup("developers");
            // The workspace as the fake Slack now insists on: the people named below exist, the bot is in the channel.
            slack.addUser("UREQUESTER", "requester").addUser("UAPPROVER1", "approver")
                    .inviteBot("CAPPROVALS").addMember("CAPPROVALS", "UAPPROVER1");
            for (int i = 0; i < runs; i++) slack.addUser(String.format("UBENCH%04d", i), "bench" + i);
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString());
            Map<String, String> env = pb.environment();
            env.put("SLACK_BOT_TOKEN", slack.botToken());
            env.put("SLACK_SIGNING_SECRET", SECRET);
            env.put("SLACK_API_URL", slack.apiUrl());
            env.put("PORT", String.valueOf(port));
            env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("bench.db"));
            env.put("ONBOARD_APPROVERS", "UAPPROVER1");
            env.put("ONBOARD_APPROVAL_CHANNEL", "CAPPROVALS");
            env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", FakeIam.ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", FakeIam.SECRET_ACCESS_KEY);
            env.put("AWS_REGION", "us-east-1");
            env.put("LOG_FORMAT", "text");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("bot.log").toFile());

            long t0 = System.nanoTime();
            Process bot = pb.start();
            try {
                String base = "http://127.0.0.1:" + port;
                long healthyMs = waitFor(base + "/healthz", t0);
                long readyMs = waitFor(base + "/readyz", t0);
                long rssStart = rssKb(bot.pid());
                System.out.printf("startup: healthz after %d ms, readyz after %d ms; RSS after start %d MiB%n",
                        healthyMs, readyMs, rssStart / 1024);

                SlackRequests send = new SlackRequests(URI.create(base), SECRET, Clock.systemUTC(), slack);
                List<Long> command = new ArrayList<>();
                List<Long> approve = new ArrayList<>();
                List<Long> toSetup = new ArrayList<>();
                List<Long> codes = new ArrayList<>();
                long flowStart = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    String name = "bench" + i;
                    String person = String.format("UBENCH%04d", i);
                    long s = System.nanoTime();
                    check(send.slashCommand("UREQUESTER", "/aws-onboard", name + " <@" + person + ">", slack.trigger(), slack.responseUrl("c" + i)));
                    command.add(ms(s));
                    List<FakeSlack.Message> posted = slack.messages("CAPPROVALS");
                    String id = requestId(posted.get(posted.size() - 1).blocks());
                    s = System.nanoTime();
                    check(send.blockAction("UAPPROVER1", "onboard_approve", id, "CAPPROVALS", posted.get(posted.size() - 1).ts(), slack.trigger()));
                    approve.add(ms(s));
                    FakeSlack.UploadedFile qr = waitForSetup(slack, "D" + person, posted.get(posted.size() - 1).ts());
                    toSetup.add(ms(s));
                    List<String> c = Totp.twoConsecutiveCodes(seed(qr.bytes()), NOW);
                    s = System.nanoTime();
                    HttpResponse<String> done = send.viewSubmission(person, "onboard_codes_modal", id, Map.of(
                            "code_1", Map.of("code_1_input", SlackRequests.plainTextInput(c.get(0))),
                            "code_2", Map.of("code_2_input", SlackRequests.plainTextInput(c.get(1)))), "V" + i);
                    codes.add(ms(s));
                    if (!done.body().contains("\"update\"")) {
                        throw new IllegalStateException("codes refused: " + done.body());
                    }
                }
                double seconds = (System.nanoTime() - flowStart) / 1e9;
                System.out.printf("flow: %d complete onboardings in %.1f s (%.1f per minute, one at a time)%n", runs, seconds, runs * 60 / seconds);
                report("slash command ack", command);
                report("approve ack", approve);
                report("approve -> QR in DM", toSetup);
                report("codes modal ack (incl. EnableMFADevice)", codes);
                System.out.printf("memory: RSS after %d onboardings %d MiB%n", runs, rssKb(bot.pid()) / 1024);
                System.out.printf("iam: %d calls (%d CreateUser, %d EnableMFADevice)%n", iam.calls().size(),
                        iam.callCount("CreateUser"), iam.callCount("EnableMFADevice"));
            } finally {
                bot.destroy();
                bot.waitFor();
            }
        }
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void report(String what, List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("latency %-40s p50 %4d ms  p95 %4d ms  max %4d ms%n", what,
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1));
    }

    private static long waitFor(String url, long t0) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                return false; // not listening yet
            }
        });
        return ms(t0);
    }

    /** The QR in the DM, once the approval message says the bot waits for MFA (the state is stored). */
    private static FakeSlack.UploadedFile waitForSetup(FakeSlack slack, String dm, String approvalTs) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() ->
                slack.message("CAPPROVALS", approvalTs).map(m -> m.blocks().toString().contains("to set up MFA")).orElse(false));
        return slack.uploadedFiles().stream().filter(u -> u.channels().contains(dm)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no QR for " + dm));
    }

    private static String requestId(JsonNode blocks) {
        for (JsonNode b : blocks) {
            if ("actions".equals(b.path("type").asText())) {
                return b.path("elements").get(0).path("value").asText();
            }
        }
        throw new IllegalStateException("no Approve button");
    }

    private static String seed(byte[] png) throws Exception {
        var image = ImageIO.read(new ByteArrayInputStream(png));
        String uri = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
        for (String part : URI.create(uri).getRawQuery().split("&")) {
            if (part.startsWith("secret=")) {
                return URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no secret in QR");
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
