package dev.awsonboard.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bot as its own operating-system process, started the way an operator starts it, and the
 * figures only the outside can see: time from start to {@code /healthz} and {@code /readyz}, and
 * resident memory ({@code VmRSS} in {@code /proc/<pid>/status}).
 */
final class BotProcess implements AutoCloseable {
    /** How the bot is started. */
    enum Launch {
        /** README's first command: {@code java -jar target/aws-onboard.jar} (plus any JVM options given). */
        JAR,
        /** The launcher script {@code bin/aws-onboard}, with the tuned JVM flags and class-data sharing. */
        LAUNCHER,
        /** {@code java -cp <this JVM's class path> dev.awsonboard.Main}: no jar needed (the smoke test). */
        CLASSPATH
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final long startedNanos;
    final long healthyMs;
    final long readyMs;
    final long rssAtReadyKb;
    /** CPU time the process used until ready (user and system, all threads): what a start costs beyond its wall time. */
    final long cpuAtReadyMs;

    private BotProcess(Process process, int port, long startedNanos) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
        this.healthyMs = waitFor("/healthz");
        this.readyMs = waitFor("/readyz");
        this.rssAtReadyKb = rssKb();
        this.cpuAtReadyMs = cpuMs();
    }

    static BotProcess start(Launch how, List<String> jvmOptions, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        switch (how) {
            case JAR -> {
                Path jar = Path.of(System.getProperty("bench.jar", "target/aws-onboard.jar"));
                require(jar, "build the jar first: mvn -B -q package -DskipTests");
                command.add(java);
                command.addAll(jvmOptions);
                command.addAll(List.of("-jar", jar.toString()));
            }
            case LAUNCHER -> {
                Path script = Path.of("bin", "aws-onboard");
                require(Path.of("target", "aws-onboard.jar"), "build the jar first: mvn -B -q package -DskipTests");
                command.add(script.toString());
                if (!jvmOptions.isEmpty()) {
                    env.put("JAVA_OPTS", String.join(" ", jvmOptions));
                }
                env.put("JAVA", java);
            }
            case CLASSPATH -> {
                command.add(java);
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.awsonboard.Main"));
            }
        }
        int port = Integer.parseInt(env.get("PORT"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new BotProcess(pb.start(), port, t0);
    }

    private static void require(Path file, String hint) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: " + hint);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Polls {@code path} every 5 ms until it answers 200; milliseconds since the process started. Ten
     * minutes at most: a first start on a large database migrates it first (HistoryBenchmark).
     */
    private long waitFor(String path) {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bot exited with " + process.exitValue() + " before " + path + " answered");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1_000_000;
                }
            } catch (ConnectException notListeningYet) {
                // the port is not open yet
            } catch (IOException e) {
                // refused mid-start; try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        throw new IllegalStateException(path + " did not answer 200 within 10 minutes");
    }

    /** Resident set size of the bot's process now, in KiB. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1; // not Linux, or the process is gone
        }
        return -1;
    }

    /** User and system CPU time of the bot's process so far, in ms; -1 where /proc is not there. */
    long cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in ticks of 10 ms
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String mib(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%d MiB", kb / 1024);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
