package dev.awsonboard.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.function.Supplier;

/** The ids the bot makes for itself: its requests' and its own among the replicas. */
public final class IdMakers {
    private IdMakers() {
    }

    /** Request ids like {@code r-abc234defg}: random, and without letters people confuse (l, o, 0, 1). */
    public static Supplier<String> requestIds() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return () -> {
            StringBuilder id = new StringBuilder("r-");
            for (int i = 0; i < 10; i++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return id.toString();
        };
    }

    /** This process among the replicas, as the owner of its leases: the host name and a random part. */
    public static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "host";
        }
        return host + "-" + Long.toHexString(new SecureRandom().nextLong());
    }
}
