package dev.awsonboard.startup;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import dev.awsonboard.store.Database;
import dev.awsonboard.web.Readiness;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code /readyz} asks: the database answers {@code SELECT 1}, Slack answers {@code auth.test}
 * and the AWS SDK finds credentials. Slack's and AWS's answers are remembered 30 s after a pass and
 * 5 s after a failure, so probes do not hammer Slack.
 */
public final class ReadinessProbes {
    private static final Duration REMEMBER_A_PASS = Duration.ofSeconds(30);
    private static final Duration REMEMBER_A_FAILURE = Duration.ofSeconds(5);

    private ReadinessProbes() {
    }

    public static Readiness of(Database database, MethodsClient methods, Clock clock, AwsCredentialsProvider credentials) {
        return new Readiness()
                .add("database", () -> databaseProblem(database))
                .add("slack", Readiness.cached(() -> slackProblem(methods), clock, REMEMBER_A_PASS, REMEMBER_A_FAILURE))
                // no AWS credentials at all shows as "aws: no credentials (...)"
                .add("aws", Readiness.cached(new AwsCredentialsCheck(credentials), clock, REMEMBER_A_PASS, REMEMBER_A_FAILURE));
    }

    private static Optional<String> databaseProblem(Database database) {
        try (Connection c = database.dataSource().getConnection();
             Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return Optional.empty();
        } catch (SQLException e) {
            // The class and SQL state only: a driver message can carry the URL.
            return Optional.of(e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState()));
        }
    }

    private static Optional<String> slackProblem(MethodsClient methods) {
        try {
            var auth = methods.authTest(r -> r);
            return auth.isOk() ? Optional.empty() : Optional.of("auth.test " + auth.getError());
        } catch (IOException | SlackApiException e) {
            return Optional.of("auth.test " + e.getClass().getSimpleName());
        }
    }
}
