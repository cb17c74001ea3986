package dev.awsonboard.config;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The environment variables: secrets and the basics. A blank variable counts as not set. */
final class Environment {
    private final Map<String, String> env;
    private final Problems problems;

    Environment(Map<String, String> env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** A token or secret that must be set (and start with {@code prefix}, when given); the message says where Slack shows it. */
    Secret requiredSecret(String name, String prefix) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            problems.add(name + " is not set" + (prefix == null
                    ? " (Basic Information > App Credentials > Signing Secret; not needed in Socket Mode, i.e. with SLACK_APP_TOKEN)."
                    : " (OAuth & Permissions > Bot User OAuth Token, starts with " + prefix + ")."));
            return Secret.of("");
        }
        if (prefix != null && !v.get().startsWith(prefix)) {
            problems.add(name + " must start with " + prefix + " (the Bot User OAuth Token).");
        }
        return Secret.of(v.get());
    }

    int port() {
        String raw = optional("PORT").orElse("3000");
        try {
            int p = Integer.parseInt(raw);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            problems.add("PORT must be a number from 0 to 65535, got: " + raw);
            return 0;
        }
    }

    /** The SDK's own variables: the service-specific one, else the global one. */
    Optional<URI> endpoint(String specific, String global) {
        Optional<String> name = optional(specific).isPresent() ? Optional.of(specific)
                : optional(global).map(v -> global);
        return name.flatMap(n -> {
            String raw = optional(n).orElseThrow();
            try {
                URI u = URI.create(raw);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return Optional.of(u);
            } catch (IllegalArgumentException e) {
                problems.add(n + " must be a URL like http://localhost:5000, got: " + raw);
                return Optional.empty();
            }
        });
    }
}
