package dev.awsonboard;

import dev.awsonboard.iam.IamClients;
import dev.awsonboard.lifecycle.IamRetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker's lease outlasts the longest IAM call several times over, so one slow call never outlives it unrenewed. */
class LeaseSettingsTest {
    @Test
    void theLeaseOutlastsTheLongestIamCallSeveralTimesOver() {
        Duration longestCall = IamRetry.standard(millis -> { }).longestCall(IamClients.ATTEMPT_TIMEOUT);

        assertThat(longestCall).isEqualTo(Duration.ofSeconds(40));
        // Renewed every fifth of it (a minute): a heartbeat that misses a beat or two still holds it.
        assertThat(Bot.LEASE_TTL).isGreaterThanOrEqualTo(longestCall.multipliedBy(5));
        assertThat(Bot.defaults().leaseTtl()).isEqualTo(Bot.LEASE_TTL);
    }
}
