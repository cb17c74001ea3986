package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.awsonboard.Bot;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SecretLedger;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.model.Status;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The bot wired to a fake Slack and a fake IAM, both real HTTP servers, on a temp SQLite
 * file; plus the moves Slack and the people make. One per test.
 */
final class TestBot implements AutoCloseable {
    static final String SIGNING_SECRET = "e2e-signing-secret-5b1c0a9f";
    static final String APPROVER = "UAPPROVER1";
    static final String APPROVER_2 = "UAPPROVER2";
    static final String REQUESTER = "UREQUESTER";
    static final String ALICE = "UALICE0001";
    static final String MALLORY = "UMALLORY01";
    static final String BOB = "UBOB000001";
    static final String APPROVAL_CHANNEL = "CAPPROVALS";
    /** Where people type the command: #general, which the bot has not been invited to. */
    static final String GENERAL = SlackRequests.DEFAULT_CHANNEL_ID;
    static final String COMMAND = "/aws-onboard";
    /** Fixed instant for the IAM fake's TOTP check and for our authenticator: codes are deterministic. */
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Awaitility's defaults wait 100 ms before the first look: most conditions here already hold.
        org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    final Path dir;
    final FakeIam iam;
    final FakeSlack slack;
    SlackRequests send;
    final Map<String, String> env;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();
    private final AtomicInteger modals = new AtomicInteger();
    Bot bot;
    /** Milliseconds the bot would have waited before retries; tests never really wait. */
    final java.util.concurrent.atomic.AtomicLong pauses = new java.util.concurrent.atomic.AtomicLong();
    /** The bot's clock: real time, moved forward by tests of expiry and of crashed workers. */
    final TestClock clock = new TestClock();
    /** IAM's clock, which checks TOTP codes: fixed at {@link #NOW} unless a test moves it. */
    final dev.awsonboard.fakes.ManualClock iamClock = new dev.awsonboard.fakes.ManualClock(NOW);
    /** Where provisioning crashes in crash tests; nothing by default. */
    CrashProbe probe = CrashProbe.NONE;
    /** How long a codes submission waits for IAM before "checking…"; the bot's own 2 s by default, set before restart(). */
    Duration codesWait = dev.awsonboard.slack.inbound.SlackApp.CODES_WAIT;
    /**
     * Retries the SDK itself makes before the bot's own policy sees a failure: 1 here by default; 0 as in
     * production (set before restart()), where every failed attempt, a lost answer too, reaches IamRetry.
     */
    int iamSdkRetries = 1;
    /** How long the bot's claims last unrenewed: production's 5 minutes unless a test shortens it (set before restart()). */
    Duration leaseTtl = Duration.ofMinutes(5);

    private TestBot(Path dir, Map<String, String> extraEnv) {
        this.dir = dir;
        this.iam = FakeIam.start(iamClock, 42);
        this.slack = FakeSlack.start();
        workspace(slack);
        this.env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("onboard.db"));
        env.put("ONBOARD_APPROVERS", APPROVER + "," + APPROVER_2);
        env.put("ONBOARD_APPROVAL_CHANNEL", APPROVAL_CHANNEL);
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        env.put("ONBOARD_CONFIG", writeConfig(dir, "groups: [developers, readonly]\n").toString());
        env.putAll(extraEnv);
        iam.createGroup("developers");
        iam.createGroup("readonly");
        startBot();
    }

    /**
     * The workspace the tests play in, as a real one is set up for the bot: the people the tests name, #general
     * where they type commands (without the bot), and the approval channel with the bot invited
     * ({@code /invite @aws-onboard}, README step 4) and the approvers in it.
     */
    static void workspace(FakeSlack slack) {
        slack.addUser(APPROVER, "approver").addUser(APPROVER_2, "approver2").addUser(REQUESTER, "requester")
                .addUser(ALICE, "alice").addUser(MALLORY, "mallory").addUser(BOB, "bob");
        for (String person : List.of(APPROVER, APPROVER_2, REQUESTER, ALICE, MALLORY, BOB)) {
            slack.addMember(GENERAL, person);
        }
        slack.inviteBot(APPROVAL_CHANNEL).addMember(APPROVAL_CHANNEL, APPROVER).addMember(APPROVAL_CHANNEL, APPROVER_2);
    }

    static Path writeConfig(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("onboard.yml"), yaml);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static TestBot start(Path dir) {
        return start(dir, Map.of());
    }

    static TestBot start(Path dir, Map<String, String> extraEnv) {
        return new TestBot(dir, extraEnv);
    }

    private void startBot() {
        Config config = ConfigLoader.load(env);
        bot = Bot.start(config, new Bot.Overrides(clock, () -> "req-" + ids.incrementAndGet(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key")), iamSdkRetries,
                "127.0.0.1", pauses::addAndGet, probe, Duration.ofHours(1)).withCodesWait(codesWait).withLeaseTtl(leaseTtl));
        send = new SlackRequests(URI.create("http://127.0.0.1:" + bot.port()), SIGNING_SECRET, Clock.systemUTC(), slack);
    }

    /** A second bot process on the same database and fakes, as a second replica runs; caller closes it. */
    Bot replica() {
        return replica(clock, leaseTtl);
    }

    /**
     * A second replica with a clock of its own (one ahead of this bot's sees its leases run out sooner)
     * and its own lease; caller closes it.
     */
    Bot replica(Clock ownClock, Duration ownLease) {
        return Bot.start(ConfigLoader.load(env), new Bot.Overrides(ownClock, () -> "req-r" + ids.incrementAndGet(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key")), iamSdkRetries,
                "127.0.0.1", pauses::addAndGet, CrashProbe.NONE, Duration.ofHours(1)).withLeaseTtl(ownLease));
    }

    /** Sends every request at the same moment from 16 threads, as a storm of clicks and re-deliveries arrives; how many got 200. */
    static int allAtOnce(List<java.util.concurrent.Callable<HttpResponse<String>>> requests) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Callable<HttpResponse<String>> request : requests) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return request.call();
                }));
            }
            go.countDown();
            int ok = 0;
            for (java.util.concurrent.Future<HttpResponse<String>> answer : answers) {
                ok += answer.get().statusCode() == 200 ? 1 : 0;
            }
            return ok;
        } finally {
            pool.shutdown();
        }
    }

    SlackRequests sendTo(Bot other) {
        return new SlackRequests(URI.create("http://127.0.0.1:" + other.port()), SIGNING_SECRET, Clock.systemUTC(), slack);
    }

    /** When the claim on {@code key} runs out, as the database says now; empty while nobody holds it. */
    java.util.Optional<Instant> leaseExpiry(String key) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(env.get("DATABASE_URL"));
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT expires_at FROM request_lease WHERE request_id = ?")) {
            ps.setString(1, key);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(Instant.parse(rs.getString(1))) : java.util.Optional.empty();
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** No virtual MFA device in IAM that no user holds. */
    List<FakeIam.VirtualDevice> orphanDevices() {
        return iam.virtualMfaDevices().stream().filter(d -> d.assignedUser() == null).toList();
    }

    /** Takes the request from approval to MFA enabled, as alice does. */
    void finishSetup(String requestId) {
        awaitStatus(requestId, Status.AWAITING_MFA);
        List<String> codes = codesFromQr(ALICE);
        HttpResponse<String> r = submitCodes(ALICE, requestId, codes.get(0), codes.get(1));
        if (!r.body().contains("\"update\"")) {
            throw new AssertionError("codes not accepted: " + r.body());
        }
    }

    /** Stops the bot and starts a new one on the same database, as a redeploy does. */
    void restart() {
        bot.close();
        startBot();
    }

    /** A trigger_id the fake Slack issued just now, as Slack puts one into each command and click. */
    String trigger() {
        return slack.trigger();
    }

    /** The response URL id of the last slash command sent. */
    String lastCommandResponseId;

    HttpResponse<String> command(String user, String text) {
        lastCommandResponseId = "cmd-" + commands.incrementAndGet();
        return send.slashCommand(user, COMMAND, text, trigger(), slack.responseUrl(lastCommandResponseId));
    }

    /** What the bot said through the response URL of the last slash command, in order. */
    List<String> followUps() {
        String id = lastCommandResponseId;
        return slack.responses().stream().filter(r -> r.id().equals(id)).map(r -> r.body().path("text").asText()).toList();
    }

    /** Waits for the follow-up of the last slash command (the outcome of the checks after the ack). */
    String awaitFollowUp() {
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !followUps().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no follow-up through " + lastCommandResponseId + "; requests: "
                    + bot.store().findByStatus(java.util.EnumSet.allOf(Status.class)).stream()
                    .map(r -> r.id() + "=" + r.status()).toList() + "; DM to requester: " + slack.messages(dm(REQUESTER)), e);
        }
        return followUps().get(followUps().size() - 1);
    }

    /**
     * Sends a request command, checks the ack says it was taken, waits until the approvers were
     * asked, and returns the request id.
     */
    String submit(String user, String text) {
        int before = slack.messages(APPROVAL_CHANNEL).size();
        HttpResponse<String> r = command(user, text);
        if (r.statusCode() != 200 || !r.body().contains("Got it")) {
            throw new AssertionError("request not accepted: " + r.statusCode() + " " + r.body());
        }
        String followUp = awaitFollowUp();
        if (!followUp.contains("waiting for approval")) {
            throw new AssertionError("request not put before the approvers: " + followUp + " (response URL " + lastCommandResponseId
                    + ", ack " + r.body() + ")");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.messages(APPROVAL_CHANNEL).size() > before);
        return latestApprovalRequestId();
    }

    /** Asks for sampleUser for alice in one line and returns the request id from the approval message. */
    String requestSampleUser() {
        return submit(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers needs the console");
    }

    String latestApprovalRequestId() {
        List<FakeSlack.Message> posted = slack.messages(APPROVAL_CHANNEL);
        JsonNode blocks = posted.get(posted.size() - 1).blocks();
        for (JsonNode block : blocks) {
            if ("actions".equals(block.path("type").asText())) {
                return block.path("elements").get(0).path("value").asText();
            }
        }
        throw new AssertionError("no Approve button in the approval message: " + blocks);
    }

    FakeSlack.Message approvalMessage() {
        List<FakeSlack.Message> posted = slack.messages(APPROVAL_CHANNEL);
        return posted.get(posted.size() - 1);
    }

    /** The view a click or a command opened after its ack (modals open on a worker, not in the ack). */
    JsonNode awaitOpenedView(int viewsBefore) {
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.callCount("views.open") > viewsBefore);
        return slack.lastView().orElseThrow();
    }

    /** Why a request ended, in the words Slack shows (English). */
    static String why(Request r) {
        return dev.awsonboard.slack.render.Messages.why(dev.awsonboard.slack.language.Texts.english(), r);
    }

    HttpResponse<String> click(String user, String actionId, String requestId, String channel) {
        String ts = slack.messages(channel).isEmpty() ? "1700000000.000001" : slack.messages(channel).get(0).ts();
        return send.blockAction(user, actionId, requestId, channel, ts, trigger());
    }

    /** An IAM user that exists before the bot gets involved, made through the real SDK. */
    void preexistingIamUser(String name, Map<String, String> tags) {
        try (var client = dev.awsonboard.iam.IamClients.create(java.util.Optional.of(iam.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key")), 0)) {
            new dev.awsonboard.iam.SdkIamGateway(client).createUser(name, "/", tags);
        }
    }

    HttpResponse<String> approve(String approver, String requestId) {
        return click(approver, "onboard_approve", requestId, APPROVAL_CHANNEL);
    }

    Request request(String id) {
        return bot.store().find(id).orElseThrow();
    }

    /**
     * Waits for the request to reach {@code status} and for its writer to have carried out what that
     * status owes (the approval messages redrawn, people told: effects settled after the write); for the
     * person's turn, until their buttons are in their DM too. An effect that failed and waits for the
     * sweep does not hold it up; one a crashed writer left never tried does, until a sweep carries it
     * out (to look at the store alone: {@link #awaitStatusStored}).
     */
    Request awaitStatus(String id, Status status) {
        boolean personsTurn = Status.AWAITING_PERSON.contains(status);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Request r = request(id);
            return r.status() == status && (!personsTurn || r.setupMessage() != null)
                    && bot.outbox().owedBy(id).stream().noneMatch(e -> e.attempts() == 0);
        });
        return request(id);
    }

    /** Waits for the request to reach {@code status} in the store, whatever it still owes (after a crash). */
    Request awaitStatusStored(String id, Status status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> request(id).status() == status);
        return request(id);
    }

    static String dm(String user) {
        return "D" + user;
    }

    /** The QR image the bot shared into alice's DM. */
    FakeSlack.UploadedFile qrFileFor(String user) {
        return slack.uploadedFiles().stream().filter(f -> f.channels().contains(dm(user))).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no file shared to " + dm(user)));
    }

    /** Plays the authenticator app: scans the QR and returns the Base32 secret in it. */
    static String scanSeed(byte[] png) {
        try {
            String uri = read(png);
            if (!uri.startsWith("otpauth://totp/")) {
                throw new AssertionError("not an otpauth URI: " + uri.substring(0, Math.min(20, uri.length())));
            }
            for (String part : URI.create(uri).getRawQuery().split("&")) {
                if (part.startsWith("secret=")) {
                    return URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError("QR has no secret");
        } catch (IOException | com.google.zxing.NotFoundException e) {
            throw new AssertionError("QR could not be decoded", e);
        }
    }

    static String otpauthUri(byte[] png) {
        try {
            return read(png);
        } catch (IOException | com.google.zxing.NotFoundException e) {
            throw new AssertionError("QR could not be decoded", e);
        }
    }

    /**
     * The text of the QR code in {@code png}. ZXing's finder-pattern detector misses about 2-3% of
     * such codes, crisp as they are (3,000 random seeds at 400 px: 56-79 missed at margin 2, 91 at
     * margin 4); the image is a pure barcode, and read as one, every code decodes. A phone app reads
     * the screen with its own detector.
     */
    private static String read(byte[] png) throws IOException, com.google.zxing.NotFoundException {
        var image = ImageIO.read(new ByteArrayInputStream(png));
        var bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        try {
            return new MultiFormatReader().decode(bitmap).getText();
        } catch (com.google.zxing.NotFoundException e) {
            return new MultiFormatReader().decode(bitmap, java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        }
    }

    List<String> codesFromQr(String user) {
        return Totp.twoConsecutiveCodes(scanSeed(qrFileFor(user).bytes()), NOW);
    }

    HttpResponse<String> submitCodes(String user, String requestId, String code1, String code2) {
        return send.viewSubmission(user, "onboard_codes_modal", requestId, Map.of(
                "code_1", Map.of("code_1_input", SlackRequests.plainTextInput(code1)),
                "code_2", Map.of("code_2_input", SlackRequests.plainTextInput(code2))), "VCODES" + modals.incrementAndGet());
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body());
        }
    }

    /** The database file and its WAL, as bytes read as text, for secret scans. */
    String databaseBytes() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("onboard.db")).toList()) {
                all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return all.toString();
    }

    /** views.publish calls the bot made for this person so far. */
    int homePublishes(String user) {
        return (int) slack.calls("views.publish").stream().filter(c -> user.equals(c.param("user_id"))).count();
    }

    /** The person's Home tab as last published, as JSON text; "" before any. */
    String homeText(String user) {
        return slack.homeView(user).map(JsonNode::toString).orElse("");
    }

    /** The person opens the app's Home tab; returns the Home the bot published in answer. */
    JsonNode openHome(String user) {
        String before = slack.homeView(user).map(v -> v.path("hash").asText()).orElse("");
        HttpResponse<String> r = send.appHomeOpened(user, "home");
        if (r.statusCode() != 200) {
            throw new AssertionError("app_home_opened not acknowledged: " + r.statusCode() + " " + r.body());
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                slack.homeView(user).map(v -> !v.path("hash").asText().equals(before)).orElse(false));
        return slack.homeView(user).orElseThrow();
    }

    /** A button clicked in the person's Home tab. */
    HttpResponse<String> homeClick(String user, String actionId, String value) {
        return send.homeButton(user, actionId, value, trigger());
    }

    // ---- the rest of an IAM user's life: resets, offboarding, status, cancel ----

    /** IAM actions that only read; anything else changes the account. */
    static final java.util.Set<String> IAM_READS = java.util.Set.of("GetUser", "ListUserTags", "GetLoginProfile",
            "ListMFADevices", "ListAccessKeys", "ListSigningCertificates", "ListSSHPublicKeys", "ListServiceSpecificCredentials",
            "ListUserPolicies", "ListAttachedUserPolicies", "ListGroupsForUser", "ListAccountAliases",
            "GetAccountPasswordPolicy", "ListVirtualMFADevices", "GetCallerIdentity", "GetAccessKeyLastUsed",
            "GenerateCredentialReport", "GetCredentialReport");

    /** Onboards sampleUser for alice to the end (approved, QR scanned, MFA on) and returns the request id. */
    String onboardAlice() {
        String id = requestSampleUser();
        approve(APPROVER, id);
        finishSetup(id);
        return id;
    }

    HttpResponse<String> deny(String approver, String requestId) {
        return click(approver, "onboard_deny", requestId, APPROVAL_CHANNEL);
    }

    /** A mark in FakeIam's call list, for {@link #iamWritesSince}. */
    int iamMark() {
        return iam.calls().size();
    }

    /** The IAM calls since {@code mark} that change something. */
    List<String> iamWritesSince(int mark) {
        List<String> all = iam.calls();
        return all.subList(mark, all.size()).stream().filter(a -> !IAM_READS.contains(a)).toList();
    }

    /** The first approval message of a request, as Slack shows it now (chat.update applied). */
    FakeSlack.Message approvalMessageOf(String requestId) {
        var ref = request(requestId).approvalMessages().get(0);
        return slack.message(ref.channel(), ref.ts()).orElseThrow();
    }

    /** What the bot told only this person: ephemerals Slack delivered, then its DMs to them (text and blocks). */
    String toldPrivately(String user) {
        return slack.ephemeralsTo(user).stream().map(FakeSlack.Ephemeral::text).toList()
                + " " + slack.messages(dm(user)).stream().map(m -> m.text() + " " + m.blocks()).toList();
    }

    /** Waits until the bot told this person {@code words} privately, after the ack of what they did. */
    void awaitToldPrivately(String user, String words) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> toldPrivately(user).contains(words));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(user + " was never told '" + words + "'; told: " + toldPrivately(user), e);
        }
    }

    /** The person replies in their DM with the bot, as Slack delivers it (message.im). */
    HttpResponse<String> replyInDm(String user, String text) {
        return send.messageEvent(user, dm(user), text);
    }

    /** Everything the bot sent Slack except views (modals): messages, DMs, ephemerals, updates, uploads, response-URL answers. */
    String everythingPostedInSlack() {
        StringBuilder all = new StringBuilder();
        // Parsed, not raw: a form body would hide a password's symbols behind percent-encoding.
        slack.calls().stream().filter(c -> !c.method().startsWith("views.")).forEach(c -> all.append(c.params()).append('\n'));
        slack.responses().forEach(r -> all.append(r.body()).append('\n'));
        return all.toString();
    }

    @Override
    public void close() {
        bot.close();
        keepDatabaseForSecretScan();
        SecretLedger.record(slack.botToken());
        SecretLedger.record(SIGNING_SECRET);
        slack.close();
        iam.close();
    }

    /** The temp dir goes away after the test; the secret scan after the suite reads this copy. */
    private void keepDatabaseForSecretScan() {
        Path keep = Path.of("target", "test-databases", dir.getFileName() + "-" + Integer.toHexString(System.identityHashCode(this)));
        try (Stream<Path> files = Files.list(dir)) {
            Files.createDirectories(keep);
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("onboard.db")).toList()) {
                Files.copy(p, keep.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AssertionError("could not keep the database for the secret scan", e);
        }
    }
}
