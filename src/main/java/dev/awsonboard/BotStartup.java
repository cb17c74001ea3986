package dev.awsonboard;

import dev.awsonboard.config.Config;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.startup.SlackPreflight;
import dev.awsonboard.startup.StartLine;
import dev.awsonboard.store.Database;
import dev.awsonboard.web.WebServer;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * How a {@link Bot} starts: what runs beside what, what must pass before anything opens, and what
 * is closed again when the start fails half-way.
 */
final class BotStartup {
    private BotStartup() {
    }

    /** What serves HTTP from early in the start: the metrics and the web server, listening before the bot is wired. */
    record Front(Metrics metrics, WebServer web) {
        static Front listening(String host, int port) {
            Metrics metrics = new Metrics();
            return new Front(metrics, new WebServer(metrics).start(host, port));
        }
    }

    static Bot start(Config config, Bot.Overrides overrides) {
        // Building the IAM client opens no connection and takes about as long as Slack's checks: it
        // runs beside them, and so does the web server, which answers /readyz 503 until the bot is
        // wired. The database waits for them, so a refused token creates nothing.
        CompletableFuture<IamClient> iam = beside("start-iam",
                () -> IamClients.create(config.iamEndpoint(), overrides.awsCredentials(), overrides.iamMaxRetries()));
        CompletableFuture<Front> front = beside("start-web", () -> Front.listening(overrides.host(), config.port()));
        Database.warmUpFor(config.databaseUrl()).ifPresent(warmUp -> beside("start-db-warm-up", () -> {
            warmUp.run();
            return null;
        }));
        Bot bot;
        SlackPreflight.Checked slack = null;
        try {
            // a refused token or an unreachable Slack stops the start naming the variable, before anything opens
            slack = SlackPreflight.check(config);
            bot = new Bot(config, overrides, await(iam), await(front), slack);
        } catch (RuntimeException | Error e) {
            iam.thenAccept(IamClient::close);
            front.thenAccept(f -> f.web().close());
            if (slack != null) {
                SlackClients.closeQuietly(slack.slack()); // the check passed, the wiring after it did not
            }
            throw e;
        }
        bot.resume();
        // one INFO line with the mode, the AWS account (once STS answers) and the database
        StartLine.announce(config, bot.port(), overrides.awsCredentials());
        return bot;
    }

    private static <T> CompletableFuture<T> beside(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** What {@code started} made, or what it threw, as if it had run on this thread. */
    private static <T> T await(CompletableFuture<T> started) {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }
}
