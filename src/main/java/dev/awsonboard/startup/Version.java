package dev.awsonboard.startup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Maven project version, written into {@code aws-onboard.properties} by resource filtering at build time. */
public final class Version {
    private static final String RESOURCE = "/aws-onboard.properties";

    private Version() {
    }

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
