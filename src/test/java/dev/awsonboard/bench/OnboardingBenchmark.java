package dev.awsonboard.bench;

import dev.awsonboard.fakes.Totp;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static dev.awsonboard.bench.World.APPROVALS;
import static dev.awsonboard.bench.World.APPROVER;
import static dev.awsonboard.bench.World.REQUESTER;

/**
 * Not a test: starts the bot as its own process against the in-process Slack and IAM fakes and
 * prints what an operator and Slack would measure. Start-up time to {@code /readyz} and memory;
 * the ack latency of signed slash commands under an open-loop load over 64 connections, with the
 * fakes fast, slow and IAM throttling every call, and how many acked requests were stored and
 * then processed; the throughput of new requests acked and stored; the acks of clicks and DM
 * events; approval to QR in the DM with 50 ms on every remote call; and memory after a thousand
 * complete onboardings.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.awsonboard.bench.OnboardingBenchmark [key=value ...]
 * </pre>
 *
 * Keys (defaults in {@link Settings#defaults()}): {@code launch=jar|launcher|classpath}, {@code jvm="-Xmx64m ..."},
 * {@code starts}, {@code connections}, {@code rate} (requests per second of the open-loop runs),
 * {@code latencyCommands}, {@code latencies} (ms, comma-separated), {@code throttled}, {@code warmup},
 * {@code commands} (closed-loop throughput run), {@code parkedThroughput} (again with the checks parked), {@code clicks}, {@code qrRuns}, {@code onboardings}, {@code flows}.
 */
public final class OnboardingBenchmark {
    /** Remote calls provisioning cannot do without between the click and the QR in the DM (one group). */
    static final List<String> CRITICAL_PATH = List.of("users.info", "iam:CreateUser", "iam:AddUserToGroup",
            "iam:AttachUserPolicy", "iam:CreateLoginProfile", "iam:CreateVirtualMFADevice", "conversations.open",
            "files.getUploadURLExternal", "upload", "files.completeUploadExternal");

    private OnboardingBenchmark() {
    }

    /** What to run, and how much. */
    record Settings(BotProcess.Launch launch, List<String> jvmOptions, int starts, int connections, double rate,
                    int latencyCommands, List<Integer> latenciesMs, boolean throttled, int warmup, int commands,
                    boolean parkedThroughput, int clicks, int qrRuns, int qrLatencyMs, int onboardings, int flows) {
        static Settings defaults() {
            return new Settings(BotProcess.Launch.JAR, List.of(), 2, 64, 500, 5_000, List.of(0, 200), true, 3_000, 20_000,
                    true, 1_000, 20, 50, 1_000, 16);
        }

        static Settings parse(String[] args) {
            Settings s = defaults();
            Map<String, String> kv = Args.keyValues(args);
            return new Settings(
                    BotProcess.Launch.valueOf(kv.getOrDefault("launch", s.launch.name()).toUpperCase(Locale.ROOT)),
                    kv.containsKey("jvm") ? Arrays.stream(kv.get("jvm").trim().split("\\s+")).filter(x -> !x.isEmpty()).toList() : s.jvmOptions,
                    Integer.parseInt(kv.getOrDefault("starts", "" + s.starts)),
                    Integer.parseInt(kv.getOrDefault("connections", "" + s.connections)),
                    Double.parseDouble(kv.getOrDefault("rate", "" + s.rate)),
                    Integer.parseInt(kv.getOrDefault("latencyCommands", "" + s.latencyCommands)),
                    kv.containsKey("latencies") ? Arrays.stream(kv.get("latencies").split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Integer::parseInt).toList()
                            : s.latenciesMs,
                    Boolean.parseBoolean(kv.getOrDefault("throttled", "" + s.throttled)),
                    Integer.parseInt(kv.getOrDefault("warmup", "" + s.warmup)),
                    Integer.parseInt(kv.getOrDefault("commands", "" + s.commands)),
                    Boolean.parseBoolean(kv.getOrDefault("parkedThroughput", "" + s.parkedThroughput)),
                    Integer.parseInt(kv.getOrDefault("clicks", "" + s.clicks)),
                    Integer.parseInt(kv.getOrDefault("qrRuns", "" + s.qrRuns)),
                    Integer.parseInt(kv.getOrDefault("qrLatency", "" + s.qrLatencyMs)),
                    Integer.parseInt(kv.getOrDefault("onboardings", "" + s.onboardings)),
                    Integer.parseInt(kv.getOrDefault("flows", "" + s.flows)));
        }
    }

    /** One run of slash commands: their acks, and what became of the requests they created. */
    record Scenario(String name, Latencies acks, int sent, int acked, int refused, int failed, int stored, int processed,
                    int followedUp, double perSecond, long drainMs, long botCpuMs, List<String> ids) {
        String line() {
            return String.format(Locale.ROOT, "%-44s sent %6d, acked %6d (%.0f/s), refused %d, failed %d; stored %6d, processed %6d, "
                            + "requesters told %6d; drained %.1f s after the load; bot CPU during the load %.0f us per ack", name, sent, acked,
                    perSecond, refused, failed, stored, processed, followedUp, drainMs / 1000.0, acked == 0 ? 0.0 : botCpuMs * 1000.0 / acked);
        }
    }

    /** Everything measured, in the order it is printed. */
    static final class Figures {
        final Settings settings;
        final List<long[]> starts = new ArrayList<>(); // healthy ms, ready ms, RSS KiB and CPU ms at ready
        final List<long[]> restarts = new ArrayList<>(); // the same, on a database at the current schema
        final List<Scenario> scenarios = new ArrayList<>();
        final Map<String, Latencies> kinds = new ConcurrentHashMap<>();
        long rssAfterOnboardingsKb = -1;
        long rssAfterLoadKb = -1;
        int onboarded;
        String qrCalls = "";
        String load = "";

        Figures(Settings settings) {
            this.settings = settings;
        }

        Latencies kind(String name) {
            return kinds.computeIfAbsent(name, Latencies::new);
        }

        void print(PrintStream out) {
            out.println("bench: " + settings);
            out.println("load average before: " + load);
            for (int i = 0; i < starts.size(); i++) {
                long[] s = starts.get(i);
                out.printf(Locale.ROOT, "start %d: /healthz after %d ms, /readyz after %d ms, RSS at ready %s, CPU used %d ms%n", i + 1, s[0],
                        s[1], BotProcess.mib(s[2]), s[3]);
            }
            for (int i = 0; i < restarts.size(); i++) {
                long[] s = restarts.get(i);
                out.printf(Locale.ROOT, "restart %d, database at the current schema: /healthz after %d ms, /readyz after %d ms, RSS at ready %s, "
                        + "CPU used %d ms%n", i + 1, s[0], s[1], BotProcess.mib(s[2]), s[3]);
            }
            for (Scenario s : scenarios) {
                out.println(s.acks().line());
                out.println("  " + s.line());
            }
            kinds.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.println(e.getValue().line(e.getKey())));
            Latencies qr = kinds.get(QR);
            if (qr != null && qr.count() > 0) {
                double path = CRITICAL_PATH.size() * settings.qrLatencyMs();
                out.printf(Locale.ROOT, "approve -> QR in DM at %d ms per remote call: p50 %.0f ms = %.2fx the critical path of %d round trips (%.0f ms: %s)%n",
                        settings.qrLatencyMs(), qr.percentileMs(50), qr.percentileMs(50) / path, CRITICAL_PATH.size(), path,
                        String.join(", ", CRITICAL_PATH));
                out.println("  remote calls of the last run, approve to QR: " + qrCalls);
            }
            out.printf(Locale.ROOT, "memory: RSS after %d complete onboardings %s; after the load runs %s%n", onboarded,
                    BotProcess.mib(rssAfterOnboardingsKb), BotProcess.mib(rssAfterLoadKb));
        }
    }

    static final String QR = "approve -> QR shared in the DM";

    public static void main(String[] args) throws Exception {
        Figures f = run(Settings.parse(args));
        f.print(System.out);
    }

    static Figures run(Settings s) throws Exception {
        Figures f = new Figures(s);
        f.load = Files.exists(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).trim() : "n/a";
        Path dir = Files.createTempDirectory("onboard-bench");
        try (World w = new World(dir)) {
            // Fresh starts on fresh databases, as a deploy sees them; the two working processes below count too.
            for (int i = 0; i < s.starts(); i++) {
                try (BotProcess bot = start(s, w, "start" + i + ".db", f)) {
                    bot.pid();
                }
            }
            // Restarts on a database already at the current schema, as every start after the first sees it.
            for (int i = 0; i < s.starts(); i++) {
                try (BotProcess bot = start(s, w, "start0.db", f, f.restarts)) {
                    bot.pid();
                }
            }
            try (BotProcess bot = start(s, w, "onboardings.db", f)) {
                w.attach(bot.port(), "onboardings.db");
                qrPath(s, w, bot, f);
                onboardings(s, w, bot, f);
                f.rssAfterOnboardingsKb = bot.rssKb();
            }
            if (s.latencyCommands() + s.warmup() + s.commands() + s.clicks() > 0) {
                try (BotProcess bot = start(s, w, "load.db", f)) {
                    w.attach(bot.port(), "load.db");
                    loadRuns(s, w, bot, f);
                    f.rssAfterLoadKb = bot.rssKb();
                }
            }
        }
        return f;
    }

    private static BotProcess start(Settings s, World w, String database, Figures f) throws Exception {
        return start(s, w, database, f, f.starts);
    }

    private static BotProcess start(Settings s, World w, String database, Figures f, List<long[]> into) throws Exception {
        int port = freePort();
        Map<String, String> env = w.env(port, database);
        BotProcess bot = BotProcess.start(s.launch(), s.jvmOptions(), env, w.dir.resolve(database + ".log"));
        into.add(new long[]{bot.healthyMs, bot.readyMs, bot.rssAtReadyKb, bot.cpuAtReadyMs});
        return bot;
    }

    // ---- approval to QR, one at a time, with latency on every remote call ----

    private static void qrPath(Settings s, World w, BotProcess bot, Figures f) throws Exception {
        if (s.qrRuns() <= 0) {
            return;
        }
        w.iam.setLatency("*", Duration.ofMillis(s.qrLatencyMs()));
        w.slack.setLatency("*", Duration.ofMillis(s.qrLatencyMs()));
        try (Connection c = new Connection("127.0.0.1", bot.port())) {
            for (int i = 0; i <= s.qrRuns(); i++) { // run 0 warms up and is not counted
                String person = w.person(String.format("UQR%05d", i));
                String id = requested(w, c, "qr" + i + " <@" + person + "> groups=developers", "qr" + i);
                int iamBefore = w.iam.calls().size();
                int slackBefore = w.slack.calls().size();
                long t0 = System.nanoTime();
                send(c, w.click(APPROVER, "onboard_approve", id, APPROVALS));
                awaitTrue(() -> w.qrSharedTo("D" + person), Duration.ofSeconds(60), 1);
                long took = System.nanoTime() - t0;
                if (i > 0) {
                    f.kind(QR).add(took);
                }
                awaitStatus(w, id, World.Status.AWAITING_MFA);
                if (i == s.qrRuns()) {
                    List<String> iam = w.iam.calls().subList(iamBefore, w.iam.calls().size());
                    List<String> slack = w.slack.calls().subList(slackBefore, w.slack.calls().size()).stream()
                            .map(dev.awsonboard.fakes.FakeSlack.Call::method).toList();
                    f.qrCalls = "IAM " + iam + "; Slack " + slack;
                }
            }
        } finally {
            w.iam.setLatency("*", Duration.ZERO);
            w.slack.setLatency("*", Duration.ZERO);
        }
    }

    // ---- complete onboardings, several at once ----

    private static void onboardings(Settings s, World w, BotProcess bot, Figures f) throws Exception {
        int flows = Math.max(1, Math.min(s.flows(), s.onboardings()));
        ExecutorService pool = Executors.newFixedThreadPool(flows);
        List<Future<Integer>> done = new ArrayList<>();
        for (int k = 0; k < flows; k++) {
            int first = k;
            done.add(pool.submit(() -> {
                int finished = 0;
                try (Connection c = new Connection("127.0.0.1", bot.port())) {
                    for (int i = first; i < s.onboardings(); i += flows) {
                        onboard(w, c, i, f);
                        finished++;
                    }
                }
                return finished;
            }));
        }
        int total = 0;
        for (Future<Integer> d : done) {
            total += d.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();
        f.onboarded = total;
    }

    /** One person's onboarding from the command to MFA enabled, as the people involved do it. */
    private static void onboard(World w, Connection c, int i, Figures f) throws IOException {
        String person = w.person(String.format("UFLOW%05d", i));
        String name = "flow" + i;
        long t = System.nanoTime();
        String id = requested(w, c, name + " <@" + person + "> groups=developers", "flow" + i);
        f.kind("flow: command -> waiting for approval").add(System.nanoTime() - t);
        t = System.nanoTime();
        timed(f, "click: approve", c, w.click(APPROVER, "onboard_approve", id, APPROVALS), "");
        awaitStatus(w, id, World.Status.AWAITING_MFA);
        f.kind("flow: approve -> setup in DM (polled 5 ms)").add(System.nanoTime() - t);
        if (i % 4 == 0) {
            timed(f, "click: show password", c, w.click(person, "onboard_show_password", id, "D" + person), "");
        }
        List<String> codes = Totp.twoConsecutiveCodes(w.seedOf(name), World.NOW);
        if (i % 2 == 0) {
            timed(f, "click: enter codes", c, w.click(person, "onboard_enter_codes", id, "D" + person), "");
            timed(f, "codes modal submit (waits for EnableMFADevice)", c, w.codes(person, id, codes, "VFLOW" + i), "\"update\"");
        } else {
            timed(f, "event: codes typed in the DM", c, w.directMessage(person, codes.get(0) + " " + codes.get(1)), "");
        }
        awaitStatus(w, id, World.Status.DONE);
    }

    /** Sends a request command and waits until the approvers were asked (their message recorded); its id. */
    private static String requested(World w, Connection c, String text, String responseId) throws IOException {
        Connection.Answer ack = send(c, w.command(REQUESTER, text, responseId));
        String id = World.requestId(ack).orElseThrow(() -> new IllegalStateException("not acked: " + ack));
        awaitStatus(w, id, World.Status.REQUESTED);
        awaitTrue(() -> w.asked(id), Duration.ofMinutes(2), 5);
        return id;
    }

    private static void timed(Figures f, String kind, Connection c, Load.Prepared p, String mustContain) throws IOException {
        long t = System.nanoTime();
        Connection.Answer a = send(c, p);
        f.kind(kind).add(System.nanoTime() - t);
        if (!a.body().contains(mustContain)) {
            throw new IllegalStateException(kind + " answered " + a);
        }
    }

    private static Connection.Answer send(Connection c, Load.Prepared p) throws IOException {
        Connection.Answer a = c.post("/slack/events", p.contentType(), p.body(), p.headers());
        if (a.status() != 200) {
            throw new IllegalStateException("HTTP " + a.status() + ": " + a.body());
        }
        return a;
    }

    // ---- load: slash commands open and closed loop, then clicks and events ----

    private static void loadRuns(Settings s, World w, BotProcess bot, Figures f) {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pool.add(w.person(String.format("UPOOL%03d", i)));
        }
        if (s.warmup() > 0) {
            commands(s, w, bot, "warm-up", s.warmup(), 0, pool, () -> { }, () -> { });
        }
        for (int ms : s.latenciesMs()) {
            f.scenarios.add(commands(s, w, bot, "slash command ack, fakes at " + ms + " ms", s.latencyCommands(), s.rate(), pool,
                    () -> {
                        w.iam.setLatency("*", Duration.ofMillis(ms));
                        w.slack.setLatency("*", Duration.ofMillis(ms));
                    }, () -> {
                        w.iam.setLatency("*", Duration.ZERO);
                        w.slack.setLatency("*", Duration.ZERO);
                    }));
        }
        if (s.throttled()) {
            f.scenarios.add(commands(s, w, bot, "slash command ack, IAM throttling all", s.latencyCommands(), s.rate(), pool,
                    () -> w.iam.throttleEverything(true), () -> w.iam.throttleEverything(false)));
        }
        Scenario throughput = commands(s, w, bot, "slash command throughput (closed loop)", s.commands(), 0, pool, () -> { }, () -> { });
        f.scenarios.add(throughput);
        if (s.parkedThroughput()) {
            // The same with the checks parked in IAM: what the acknowledgements alone can take, without
            // the checks that follow each one competing for the two cores.
            f.scenarios.add(commands(s, w, bot, "slash command throughput, checks parked", s.commands(), 0, pool,
                    w.iam::holdAll, w.iam::releaseAll));
        }
        clicks(s, w, bot, f, throughput.ids());
    }

    /**
     * Sends {@code n} request commands (open loop at {@code rate}, closed loop when 0) with {@code during}
     * in force, undoes it, waits until every stored request was checked, and counts.
     */
    private static Scenario commands(Settings s, World w, BotProcess bot, String name, int n, double rate, List<String> people,
                                     Runnable during, Runnable after) {
        String prefix = "s" + Integer.toHexString(name.hashCode() & 0xfffff) + "x";
        List<Load.Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String text = prefix + i + " <@" + people.get(i % people.size()) + "> groups=developers";
            String responseId = prefix + "r" + i;
            jobs.add(() -> w.command(REQUESTER, text, responseId));
        }
        during.run();
        Load.Result r;
        // The bot's own CPU while the load runs (checks that run meanwhile included): what an ack costs,
        // whatever the load generator and the fakes on the same cores took.
        long cpuBefore = bot.cpuMs();
        long botCpuMs;
        try {
            r = Load.run(name, "127.0.0.1", bot.port(), s.connections(), rate, jobs,
                    a -> a.status() == 200 && a.body().contains("Got it"));
        } finally {
            botCpuMs = bot.cpuMs() - cpuBefore;
            after.run();
        }
        long drainStart = System.nanoTime();
        awaitTrue(() -> w.countByStatus().getOrDefault(World.Status.SUBMITTED, 0) == 0, Duration.ofMinutes(30), 100);
        long drainMs = (System.nanoTime() - drainStart) / 1_000_000;
        Map<String, String> responseIdOf = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String responseId = prefix + "r" + i;
            World.requestId(r.answers().get(i)).ifPresent(id -> responseIdOf.put(id, responseId));
        }
        Set<String> ids = responseIdOf.keySet();
        Map<String, World.Status> stored = w.statuses(ids);
        int processed = (int) stored.values().stream().filter(st -> st != World.Status.SUBMITTED).count();
        // Each requester hears how the checks went (the response URL, else a DM).
        try {
            awaitTrue(() -> w.told(responseIdOf).size() >= processed, Duration.ofMinutes(2), 100);
        } catch (IllegalStateException e) {
            Set<String> missing = new HashSet<>(ids);
            missing.removeAll(w.told(responseIdOf));
            System.err.println(name + ": " + missing.size() + " requesters never heard back, e.g. " + missing.stream().limit(5).toList());
        }
        int followedUp = w.told(responseIdOf).size();
        return new Scenario(name, r.latencies(), n, r.acked(), r.refused(), r.failed(), stored.size(), processed, followedUp,
                r.perSecond(), drainMs, botCpuMs, List.copyOf(ids));
    }

    private static void clicks(Settings s, World w, BotProcess bot, Figures f, List<String> created) {
        List<String> requested = w.statuses(new HashSet<>(created)).entrySet().stream()
                .filter(e -> e.getValue() == World.Status.REQUESTED).map(Map.Entry::getKey).sorted().toList();
        List<String> approve = requested.subList(0, Math.min(s.clicks(), requested.size()));
        Load.Result approvals = Load.run("click: approve (load)", "127.0.0.1", bot.port(), s.connections(), s.rate(),
                approve.stream().map(id -> (Load.Job) () -> w.click(APPROVER, "onboard_approve", id, APPROVALS)).toList(),
                a -> a.status() == 200);
        merge(f, approvals);
        awaitTrue(() -> {
            Map<World.Status, Integer> c = w.countByStatus();
            return c.getOrDefault(World.Status.APPROVED, 0) + c.getOrDefault(World.Status.PROVISIONING, 0) == 0;
        }, Duration.ofMinutes(30), 100);
        Map<String, World.Status> after = w.statuses(new HashSet<>(approve));
        List<String> awaiting = approve.stream().filter(id -> after.get(id) == World.Status.AWAITING_MFA).toList();
        Map<String, String> personOf = w.targets(new HashSet<>(awaiting));
        merge(f, Load.run("click: enter codes (load)", "127.0.0.1", bot.port(), s.connections(), s.rate(),
                awaiting.stream().map(id -> (Load.Job) () -> w.click(personOf.get(id), "onboard_enter_codes", id, "D" + personOf.get(id))).toList(),
                a -> a.status() == 200));
        List<String> reveal = awaiting.subList(0, Math.min(awaiting.size(), Math.max(1, s.clicks() / 5)));
        merge(f, Load.run("click: show password (load)", "127.0.0.1", bot.port(), s.connections(), s.rate(),
                reveal.stream().map(id -> (Load.Job) () -> w.click(personOf.get(id), "onboard_show_password", id, "D" + personOf.get(id))).toList(),
                a -> a.status() == 200));
        List<Load.Job> events = new ArrayList<>();
        for (int i = 0; i < s.clicks(); i++) {
            String idle = w.person(String.format("UIDLE%05d", i % 200));
            events.add(() -> w.directMessage(idle, "123456 654321"));
        }
        merge(f, Load.run("event: DM with codes, nothing waiting (load)", "127.0.0.1", bot.port(), s.connections(), s.rate(), events,
                a -> a.status() == 200));
    }

    private static void merge(Figures f, Load.Result r) {
        String label = r.kind() + (r.refused() + r.failed() > 0 ? " [" + r.refused() + " refused, " + r.failed() + " failed]" : "");
        f.kinds.put(label, r.latencies());
    }

    // ---- waiting ----

    private static void awaitStatus(World w, String id, World.Status status) {
        awaitTrue(() -> {
            Optional<World.Status> now = w.status(id);
            if (now.isPresent() && now.get() != status && isEnd(now.get())) {
                throw new IllegalStateException("request " + id + " ended " + now.get() + " instead of reaching " + status);
            }
            return now.isPresent() && now.get() == status;
        }, Duration.ofMinutes(2), 5);
    }

    private static boolean isEnd(World.Status s) {
        return switch (s) {
            case DONE, DENIED, CANCELLED, REJECTED, EXPIRED, FAILED -> true;
            default -> false;
        };
    }

    private static void awaitTrue(BooleanSupplier condition, Duration atMost, long pollMs) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + atMost);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMs));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
