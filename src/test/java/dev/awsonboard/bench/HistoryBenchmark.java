package dev.awsonboard.bench;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.store.Postgres;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.awsonboard.bench.World.APPROVALS;
import static dev.awsonboard.bench.World.APPROVER;
import static dev.awsonboard.bench.World.REQUESTER;

/**
 * Not a test: whether what people wait for grows with the store's past (issue 19). For each database
 * (SQLite, PostgreSQL) and each size, fills a store with that many finished requests and their audit
 * rows ({@link History}, in bulk), starts a bot on each as its own process against in-process Slack
 * and IAM fakes, and measures end to end over HTTP, one request at a time at a steady pace, the sizes
 * taking turns of {@link #BLOCK} requests so that they share the machine's moods: the
 * ack of a slash command, the ack of an Approve click, an approver's App Home redraw (the
 * {@code app_home_opened} event to the {@code views.publish}), {@code status @person} (the command to
 * the reply at its response URL) and a {@code /metrics} scrape. Prints p50/p99 per path, size and
 * database, and the ratio of the largest size to the smallest, and checks that the request counts
 * {@code /metrics} reports are what the store holds.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.awsonboard.bench.HistoryBenchmark [key=value ...]
 * </pre>
 *
 * Keys: {@code launch=jar|launcher|classpath} (jar: {@code -Dbench.jar=...}, default target/aws-onboard.jar),
 * {@code jvm="..."}, {@code sizes=1000,1000000}, {@code databases=sqlite,postgres}, {@code samples} (per path),
 * {@code warmup} (per path, not counted), {@code audit} (rows per request), {@code interval} (ms between requests).
 * PostgreSQL is {@code TEST_POSTGRES_URL}'s server when set, else the embedded one the tests start.
 */
public final class HistoryBenchmark {
    static final String COMMAND = "slash command ack";
    static final String APPROVE = "Approve click ack";
    static final String HOME = "App Home redraw, approver";
    static final String STATUS = "status @person, command to reply";
    static final String METRICS = "/metrics scrape";
    static final List<String> PATHS = List.of(COMMAND, APPROVE, HOME, STATUS, METRICS);

    private static final Pattern REQUEST_GAUGE = Pattern.compile("(?m)^aws_onboard_requests\\{status=\"(\\w+)\",?} (\\S+)$");
    /** Requests per turn of one path on one side (see {@link #measure}). */
    static final int BLOCK = 20;
    /** How often the fake Slack is looked at for an answer being measured: its resolution. */
    private static final Duration POLL_SLACK = Duration.ofNanos(500_000);
    /** How often the store is read while waiting between phases (each look reads every request made). */
    private static final Duration POLL_STORE = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HistoryBenchmark() {
    }

    record Settings(BotProcess.Launch launch, List<String> jvmOptions, List<Integer> sizes, List<String> databases, int samples,
                    int warmup, int auditPerRequest, int intervalMs) {
        Settings {
            if (samples + warmup > History.LINKED_FROM) {
                throw new IllegalArgumentException("samples + warmup must be at most " + History.LINKED_FROM
                        + ": each onboards a name of its own");
            }
        }

        static Settings defaults() {
            return new Settings(BotProcess.Launch.JAR, List.of(), List.of(1_000, 1_000_000), List.of("sqlite", "postgres"), 200, 20, 5, 100);
        }

        static Settings parse(String[] args) {
            Settings s = defaults();
            Map<String, String> kv = Args.keyValues(args);
            return new Settings(
                    BotProcess.Launch.valueOf(kv.getOrDefault("launch", s.launch.name()).toUpperCase(Locale.ROOT)),
                    kv.containsKey("jvm") ? Arrays.stream(kv.get("jvm").trim().split("\\s+")).filter(x -> !x.isEmpty()).toList() : s.jvmOptions,
                    kv.containsKey("sizes") ? Arrays.stream(kv.get("sizes").split(",")).map(String::trim).map(Integer::parseInt).toList() : s.sizes,
                    kv.containsKey("databases") ? Arrays.stream(kv.get("databases").split(",")).map(String::trim).toList() : s.databases,
                    Integer.parseInt(kv.getOrDefault("samples", "" + s.samples)),
                    Integer.parseInt(kv.getOrDefault("warmup", "" + s.warmup)),
                    Integer.parseInt(kv.getOrDefault("audit", "" + s.auditPerRequest)),
                    Integer.parseInt(kv.getOrDefault("interval", "" + s.intervalMs)));
        }
    }

    /** One database at one size: the latencies of each path, and what the run found. */
    static final class Run {
        final String database;
        final int size;
        final Map<String, Latencies> paths = new LinkedHashMap<>();
        long fillMs;
        long readyMs;
        /** Requests per status: as {@code /metrics} reported them at the end, and as the store holds them. */
        Map<String, Long> scraped = Map.of();
        Map<String, Long> stored = Map.of();

        Run(String database, int size) {
            this.database = database;
            this.size = size;
            PATHS.forEach(p -> paths.put(p, new Latencies(p)));
        }

        Latencies path(String name) {
            return paths.get(name);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        System.out.println("history benchmark: " + s);
        System.out.println("load average before: " + loadAverage());
        List<Run> runs = run(s, System.out);
        print(runs, System.out);
        System.out.println("load average after: " + loadAverage());
    }

    static List<Run> run(Settings s, PrintStream out) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (String database : s.databases()) {
            List<Side> sides = new ArrayList<>();
            try {
                for (int size : s.sizes()) {
                    sides.add(Side.open(s, database, size));
                }
                measure(s, sides);
                for (Side side : sides) {
                    side.run.scraped = scrape(side.bot.port());
                    side.run.stored = side.peek.countByStatus();
                }
            } finally {
                sides.forEach(Side::close);
            }
            for (Side side : sides) {
                Run r = side.run;
                runs.add(r);
                out.printf(Locale.ROOT, "%s, %,d finished requests: filled in %.1f s, bot ready in %.1f s (migrations included)%n",
                        r.database, r.size, r.fillMs / 1000.0, r.readyMs / 1000.0);
                r.paths.values().forEach(l -> out.println("  " + l.line()));
                out.println("  requests per status, /metrics: " + r.scraped + "; store: " + r.stored);
            }
        }
        return runs;
    }

    /** One size on one database: its store, the fakes its bot talks to, the bot, and what was measured. */
    private static final class Side implements AutoCloseable {
        final Run run;
        final Path dir;
        final String schema;
        final World w;
        final BotProcess bot;
        final Peek peek;
        final Connection c;
        final List<String> ids = new ArrayList<>();
        final String tag = Long.toString(System.nanoTime() % 1_000_000, 36);

        private Side(Run run, Path dir, String schema, World w, BotProcess bot, Peek peek) {
            this.run = run;
            this.dir = dir;
            this.schema = schema;
            this.w = w;
            this.bot = bot;
            this.peek = peek;
            this.c = new Connection("127.0.0.1", bot.port());
        }

        /** Fills a store of {@code size} finished requests and starts a bot on it, with fakes of its own. */
        static Side open(Settings s, String database, int size) throws Exception {
            Run run = new Run(database, size);
            Path dir = Files.createTempDirectory("onboard-history");
            String schema = null;
            String url;
            if (database.equals("postgres")) {
                schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                execute(Postgres.url(), "CREATE SCHEMA " + schema);
                url = Postgres.url() + (Postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
            } else if (database.equals("sqlite")) {
                url = "jdbc:sqlite:" + dir.resolve("history.db");
            } else {
                throw new IllegalArgumentException("databases are sqlite and postgres, not " + database);
            }
            World w = new World(dir);
            BotProcess bot = null;
            try {
                run.fillMs = new History(size, s.auditPerRequest(), Instant.now()).fill(url);
                for (int k = 0; k < History.PEOPLE; k++) {
                    w.person(History.person(k));
                }
                try (IamClient iam = IamClients.create(Optional.of(w.iam.endpoint()), FakeIam.credentials(), 0)) {
                    for (int k = History.LINKED_FROM; k < History.LINKED_FROM + s.samples() + s.warmup(); k++) {
                        String name = History.iamUser(k);
                        iam.createUser(b -> b.userName(name));
                        iam.addUserToGroup(b -> b.userName(name).groupName("developers"));
                    }
                }
                int port = freePort();
                Map<String, String> env = w.env(port, "unused.db");
                env.put("DATABASE_URL", url);
                bot = BotProcess.start(s.launch(), s.jvmOptions(), env, dir.resolve("bot.log"));
                run.readyMs = bot.readyMs;
                w.talkTo(bot.port());
                return new Side(run, dir, schema, w, bot, new Peek(url));
            } catch (Exception | Error e) {
                if (bot != null) {
                    bot.close();
                }
                w.close();
                dropQuietly(schema);
                deleteQuietly(dir);
                throw e;
            }
        }

        @Override
        public void close() {
            c.close();
            peek.close();
            bot.close();
            w.close();
            dropQuietly(schema);
            deleteQuietly(dir);
        }
    }

    /** One path measured on one side, requests {@code from} to {@code to} (exclusive), then what they set off settled. */
    private interface Phase {
        void run(Settings s, Side side, int from, int to) throws Exception;
    }

    /**
     * Every path on every side in turns of {@link #BLOCK} requests (path by path, in the order of
     * {@link #PATHS}), so the sizes share what the machine was doing at the time: on a shared machine
     * the load of minutes apart differs more than the sizes do.
     */
    private static void measure(Settings s, List<Side> sides) throws Exception {
        int n = s.warmup() + s.samples();
        for (Phase phase : List.<Phase>of(HistoryBenchmark::commands, HistoryBenchmark::approvals, HistoryBenchmark::homes,
                HistoryBenchmark::statuses, HistoryBenchmark::scrapes)) {
            for (int from = 0; from < n; from += BLOCK) {
                for (Side side : sides) {
                    phase.run(s, side, from, Math.min(n, from + BLOCK));
                }
            }
        }
    }

    /** New requests, each for a name with a long past (and nothing open), by the requester with the longest past. */
    private static void commands(Settings s, Side side, int from, int to) throws IOException {
        long due = System.nanoTime();
        for (int i = from; i < to; i++) {
            due = pace(due, s);
            String text = History.iamUser(i) + " <@" + History.person(i) + "> groups=developers";
            long t0 = System.nanoTime();
            Connection.Answer ack = send(side.c, side.w.command(REQUESTER, text, "h" + side.tag + "c" + i));
            record(side.run, COMMAND, i, s, t0);
            side.ids.add(World.requestId(ack).orElseThrow(() -> new IllegalStateException("not acked: " + ack)));
        }
        List<String> sent = List.copyOf(side.ids.subList(from, to));
        awaitTrue(() -> side.peek.all(sent, "REQUESTED", true), Duration.ofMinutes(10), POLL_STORE);
    }

    private static void approvals(Settings s, Side side, int from, int to) {
        long due = System.nanoTime();
        for (int i = from; i < to; i++) {
            due = pace(due, s);
            long t0 = System.nanoTime();
            try {
                send(side.c, side.w.click(APPROVER, "onboard_approve", side.ids.get(i), APPROVALS));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            record(side.run, APPROVE, i, s, t0);
        }
        List<String> approved = List.copyOf(side.ids.subList(from, to));
        awaitTrue(() -> side.peek.all(approved, "AWAITING_MFA", false), Duration.ofMinutes(10), POLL_STORE);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the redraws those changes scheduled (1.5 s debounce) are done
    }

    private static void homes(Settings s, Side side, int from, int to) throws IOException {
        long due = System.nanoTime();
        for (int i = from; i < to; i++) {
            due = pace(due, s);
            int mark = side.w.slack.calls().size();
            long t0 = System.nanoTime();
            send(side.c, side.w.homeOpened(APPROVER));
            awaitTrue(() -> published(side.w, mark), Duration.ofMinutes(1), POLL_SLACK);
            record(side.run, HOME, i, s, t0);
        }
    }

    /** status of a person with a long past and an IAM user, by an approver. */
    private static void statuses(Settings s, Side side, int from, int to) throws IOException {
        long due = System.nanoTime();
        for (int i = from; i < to; i++) {
            due = pace(due, s);
            String responseId = "h" + side.tag + "s" + i;
            long t0 = System.nanoTime();
            send(side.c, side.w.command(APPROVER, "status <@" + History.person(History.LINKED_FROM + i) + ">", responseId));
            awaitTrue(() -> side.w.slack.responses().stream().anyMatch(r -> r.id().equals(responseId)), Duration.ofMinutes(1),
                    POLL_SLACK);
            record(side.run, STATUS, i, s, t0);
        }
    }

    private static void scrapes(Settings s, Side side, int from, int to) throws IOException, InterruptedException {
        long due = System.nanoTime();
        for (int i = from; i < to; i++) {
            due = pace(due, s);
            long t0 = System.nanoTime();
            scrape(side.bot.port());
            record(side.run, METRICS, i, s, t0);
        }
    }

    private static void record(Run run, String path, int i, Settings s, long t0) {
        long took = System.nanoTime() - t0;
        if (i >= s.warmup()) {
            run.path(path).add(took);
        }
    }

    /** Whether Slack got a views.publish of the approver's Home among the calls from {@code mark} on. */
    private static boolean published(World w, int mark) {
        List<dev.awsonboard.fakes.FakeSlack.Call> calls = w.slack.calls();
        for (int i = mark; i < calls.size(); i++) {
            if (calls.get(i).method().equals("views.publish") && APPROVER.equals(calls.get(i).param("user_id"))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until {@code due}, then says when the next request is due. */
    private static long pace(long due, Settings s) {
        long now = System.nanoTime();
        if (now < due) {
            LockSupport.parkNanos(due - now);
        }
        return Math.max(due, now) + TimeUnit.MILLISECONDS.toNanos(s.intervalMs());
    }

    private static Connection.Answer send(Connection c, Load.Prepared p) throws IOException {
        Connection.Answer a = c.post("/slack/events", p.contentType(), p.body(), p.headers());
        if (a.status() != 200) {
            throw new IllegalStateException("HTTP " + a.status() + ": " + a.body());
        }
        return a;
    }

    /** Requests per status as {@code /metrics} reports them. */
    static Map<String, Long> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + r.statusCode());
        }
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = REQUEST_GAUGE.matcher(r.body());
        while (m.find()) {
            long v = (long) Double.parseDouble(m.group(2));
            if (v != 0) {
                counts.put(m.group(1), v);
            }
        }
        return counts;
    }

    static void print(List<Run> runs, PrintStream out) {
        out.println();
        out.println("p50 / p99 in ms per path, database and size; ratio = the largest size over the smallest");
        for (String database : runs.stream().map(r -> r.database).distinct().toList()) {
            List<Run> of = runs.stream().filter(r -> r.database.equals(database)).toList();
            Run small = of.stream().min((a, b) -> Integer.compare(a.size, b.size)).orElseThrow();
            Run large = of.stream().max((a, b) -> Integer.compare(a.size, b.size)).orElseThrow();
            for (String path : PATHS) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %-34s", database, path));
                for (Run r : of) {
                    Latencies l = r.path(path);
                    line.append(String.format(Locale.ROOT, "  %,10d: %7.2f / %7.2f", r.size, l.percentileMs(50), l.percentileMs(99)));
                }
                if (small != large) {
                    line.append(String.format(Locale.ROOT, "   ratio %.2fx / %.2fx",
                            large.path(path).percentileMs(50) / small.path(path).percentileMs(50),
                            large.path(path).percentileMs(99) / small.path(path).percentileMs(99)));
                }
                out.println(line);
            }
        }
    }

    /** A look at the bot's database from outside, for waiting and for the counts. */
    private static final class Peek implements AutoCloseable {
        private final java.sql.Connection c;

        Peek(String url) throws SQLException {
            this.c = DriverManager.getConnection(url);
        }

        /** Whether every request is in {@code status} (and the approvers were asked, if {@code asked}); fails on one that ended. */
        synchronized boolean all(List<String> ids, String status, boolean asked) {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, approval_messages_json FROM onboarding_request WHERE id = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                        String now = rs.getString(1);
                        if (List.of("DONE", "DENIED", "CANCELLED", "REJECTED", "EXPIRED", "FAILED").contains(now)) {
                            throw new IllegalStateException("request " + id + " ended " + now + " instead of reaching " + status);
                        }
                        if (!now.equals(status) || asked && rs.getString(2).equals("[]")) {
                            return false;
                        }
                    }
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        synchronized Map<String, Long> countByStatus() throws SQLException {
            Map<String, Long> counts = new TreeMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM onboarding_request GROUP BY status")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException e) {
                // a look from outside; nothing to keep
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration atMost, Duration poll) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + atMost);
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }

    private static void dropQuietly(String schema) {
        if (schema != null) {
            try {
                execute(Postgres.url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("could not drop schema " + schema + ": " + e.getMessage());
            }
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (java.sql.Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? Files.readString(p).trim() : "n/a";
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
