package dev.awsonboard.fakes;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Published test vectors (RFC 6238, Slack's signing example), copied into src/test/resources/vectors. */
final class Vectors {
    private Vectors() {
    }

    static Path path(String name) {
        URL url = Vectors.class.getResource("/vectors/" + name);
        if (url == null) {
            throw new AssertionError("test vector " + name + " is missing from src/test/resources/vectors");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
