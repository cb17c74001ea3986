package dev.awsonboard.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code aws-onboard demo} says what is wrong with its port in one line instead of a stack trace. */
class DemoCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env) {
        return Demo.run(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aDemoPortThatIsNotANumberIsAConfigurationError() {
        assertThat(run(Map.of("DEMO_PORT", "eighty"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DEMO_PORT must be a port number, got: eighty");
    }

    @Test
    void aPortInUseIsNamedWithTheVariableThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = run(Map.of("DEMO_PORT", String.valueOf(taken.getLocalPort())));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("could not listen on 127.0.0.1:" + taken.getLocalPort()).contains("set DEMO_PORT");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("open http");
        }
    }
}
