package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One request that throws in the sweep stops nothing else the sweep does: expiries, reminders, owed effects. */
class SweepIsolationUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void aRequestWhoseRepairThrowsDoesNotKeepAnotherSetupFromExpiring() {
        // A request checked and stored, and the process died before the approvers were asked.
        d.slack.crashAt("postApprovalRequest");
        assertThatThrownBy(() -> d.ask(REQUESTER, Kind.ONBOARD, "stuckUser", MALLORY)).isInstanceOf(SimulatedCrash.class);
        String setup = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(setup);
        d.restart();
        // Asking the approvers again now fails in a way nobody foresaw.
        d.slack.whenSent("postApprovalRequest", r -> {
            throw new IllegalStateException("a bug in one request's repair");
        });
        d.clock.advance(Domain.SETUP_EXPIRY.plus(Duration.ofMinutes(1)));

        Sweeper.Report report = d.uses.sweeper().sweep();

        assertThat(report.setupsExpired()).isEqualTo(1);
        assertThat(d.request(setup).status()).isEqualTo(Status.EXPIRED);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.slack.filesAlive()).isEmpty();
    }
}
