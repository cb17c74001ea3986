package dev.awsonboard;

import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.doctor.Doctor;
import dev.awsonboard.startup.StartupException;
import dev.awsonboard.startup.Usage;
import dev.awsonboard.startup.Version;
import dev.awsonboard.startup.WarmUp;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code java -jar aws-onboard.jar [run | doctor | demo | healthcheck | help | --version]}. Exit code 2 means
 * the configuration or the command line is wrong, 1 that something else failed.
 */
public final class Main {
    /** What {@link #execute} answers when the bot started: the process lives on in the bot's own threads. */
    static final int RUNNING = -1;

    private Main() {
    }

    public static void main(String[] args) {
        // while the configuration is read
        WarmUp warmUp = args.length == 0 || args[0].equals("run") ? WarmUp.beside() : null;
        int code = execute(args, System.getenv(), System.out, System.err, config -> {
            if (warmUp != null) {
                warmUp.awaitLogging();
            }
            Bot bot = Bot.start(config, Bot.defaults());
            Runtime.getRuntime().addShutdownHook(new Thread(bot::close, "shutdown"));
            return bot;
        });
        if (code != RUNNING) {
            System.exit(code);
        }
    }

    /** The whole command line, without {@code System.exit}, so tests run it; {@code start} starts the bot. */
    static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                       Function<Config, AutoCloseable> start) {
        String command = args.length == 0 ? "run" : args[0];
        if (args.length > 1) {
            return usageError("one command at a time, got: " + String.join(" ", args), err);
        }
        switch (command) {
            case "run":
                return run(env, err, start);
            case "doctor":
                return Doctor.run(env, out, err);
            case "demo":
                // Loaded only here: run never touches the demo or the fakes it ships with.
                return dev.awsonboard.demo.Demo.run(env, out, err);
            case "healthcheck":
                return healthcheck(env);
            case "help", "--help", "-h":
                out.print(Usage.text());
                out.flush();
                return 0;
            case "--version":
                out.println("aws-onboard " + Version.current());
                out.flush();
                return 0;
            default:
                return usageError("unknown argument: " + command, err);
        }
    }

    private static int usageError(String problem, PrintStream err) {
        err.println("aws-onboard: " + problem);
        err.println();
        err.print(Usage.text());
        err.flush();
        return 2;
    }

    private static int run(Map<String, String> env, PrintStream err, Function<Config, AutoCloseable> start) {
        Config config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            // Plain stderr: these lines are for the operator starting the bot, before logging matters.
            Usage.configErrors(env, e.problems()).forEach(err::println);
            err.flush();
            return 2;
        }
        try {
            start.apply(config);
            return RUNNING;
        } catch (StartupException e) {
            // A refused token, Slack out of reach: the message names the variable; no trace.
            LoggerFactory.getLogger(Main.class).error("could not start: {}", e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // The database locked or unreachable...: one line, no trace.
            LoggerFactory.getLogger(Main.class).error("could not start: {} ({})", e.getMessage(), e.getClass().getSimpleName());
            return 1;
        }
    }

    private static int healthcheck(Map<String, String> env) {
        String port = env.getOrDefault("PORT", "3000");
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            return 1;
        }
    }
}
