package dev.awsonboard;

import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;

import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code java -jar aws-onboard.jar} starts the bot from the environment;
 * {@code ... healthcheck} probes a running one (the container's HEALTHCHECK).
 * Exit code 2 means the configuration is wrong.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run();
            case "healthcheck" -> System.exit(healthcheck());
            case "doctor" -> System.exit(dev.awsonboard.doctor.Doctor.run(System.getenv(), System.out, System.err));
            default -> {
                System.err.println("usage: java -jar aws-onboard.jar [run | healthcheck | doctor]");
                System.exit(2);
            }
        }
    }

    private static void run() {
        Config config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            // Plain stderr: these lines are for the operator starting the bot, before logging matters.
            e.problems().forEach(p -> System.err.println("config error: " + p));
            System.exit(2);
            return;
        }
        Bot bot;
        try {
            bot = Bot.start(config, Bot.defaults());
        } catch (RuntimeException e) {
            // Slack unreachable or refusing the token, the database locked...: one line, no trace.
            LoggerFactory.getLogger(Main.class).error("could not start: {} ({})", e.getMessage(), e.getClass().getSimpleName());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bot::close, "shutdown"));
    }

    private static int healthcheck() {
        String port = System.getenv().getOrDefault("PORT", "3000");
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
