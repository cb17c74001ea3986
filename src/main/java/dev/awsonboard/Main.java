package dev.awsonboard;

import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;

/** Starts the bot from the environment. Exit code 2 means the configuration is wrong. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            // Plain stderr: these lines are for the operator starting the bot, before logging matters.
            e.problems().forEach(p -> System.err.println("config error: " + p));
            System.exit(2);
            return;
        }
        Bot bot = Bot.start(config, Bot.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(bot::close, "shutdown"));
    }
}
