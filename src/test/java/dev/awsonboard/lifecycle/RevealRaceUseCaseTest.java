package dev.awsonboard.lifecycle;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Two clicks on Show password at once (a double click, two replicas) set one password; the pause is a claim, not a read. */
class RevealRaceUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void aSecondClickWhileTheFirstPasswordIsBeingSetIsToldToWaitAndSetsNone() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        List<Outcome<Secret>> second = new ArrayList<>();
        d.iam.whileCalling("UpdateLoginProfile", () -> second.add(d.uses.passwords().reveal(id, ALICE, false)));

        Outcome<Secret> first = d.uses.passwords().reveal(id, ALICE, false);

        assertThat(first.isDone()).isTrue();
        assertThat(second).singleElement().satisfies(o -> assertThat(o.notice().reason()).isEqualTo(Reason.PASSWORD_RATE_LIMITED));
        assertThat(d.iam.count("UpdateLoginProfile")).isEqualTo(1);
    }

    @Test
    void theClickAfterTheFirstSaysWaitAtOnceAndAMinuteLaterItIsHonoured() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isTrue();

        assertThat(d.uses.passwords().refusal(id, ALICE, false)).hasValueSatisfying(n ->
                assertThat(n.reason()).isEqualTo(Reason.PASSWORD_RATE_LIMITED));
        d.clock.advance(PasswordReveal.MIN_INTERVAL.plus(Duration.ofSeconds(1)));

        assertThat(d.uses.passwords().refusal(id, ALICE, false)).isEmpty();
        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isTrue();
        assertThat(d.iam.count("UpdateLoginProfile")).isEqualTo(2);
    }

    @Test
    void aPasswordIamWouldNotSetLeavesNoPauseBehind() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        d.iam.failNext("UpdateLoginProfile", InMemoryIam.error(dev.awsonboard.lifecycle.port.IamException.Kind.THROTTLED, "Throttling"));

        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isFalse();

        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).as("tried again at once").isTrue();
    }
}
