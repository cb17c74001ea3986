package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A person who left is recorded at the acknowledgement of Slack's event (which Slack sends no more once
 * acknowledged) and their offboardings filed after it: a crash in between files them after the restart,
 * and a crash right after filing files none twice.
 */
class DurableDeparturesUseCaseTest {
    private final Domain d = new Domain();

    private List<Request> offboardings() {
        return d.store.findByIamUserName("sampleUser").stream().filter(r -> r.kind() == Kind.OFFBOARD).toList();
    }

    @Test
    void aCrashBetweenTheAcknowledgementAndTheFilingStillFilesTheOffboarding() {
        d.onboardAlice();
        d.probe = point -> {
            if (point.equals("before effect:PERSON_LEFT")) {
                throw new SimulatedCrash(point);
            }
        };

        assertThatThrownBy(() -> d.uses.departures().left(ALICE, "Alice left")).isInstanceOf(SimulatedCrash.class);
        assertThat(offboardings()).isEmpty();
        d.probe = CrashProbe.NONE;
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(offboardings()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.REQUESTED);
            assertThat(r.reason()).isEqualTo("Alice left");
        });
        assertThat(d.store.outbox().all()).isEmpty();
    }

    @Test
    void aCrashRightAfterTheFilingFilesNoSecondOffboardingEvenOnceTheFirstWasDenied() {
        d.onboardAlice();
        d.probe = point -> {
            if (point.equals("after effect:PERSON_LEFT")) {
                throw new SimulatedCrash(point);
            }
        };

        assertThatThrownBy(() -> d.uses.departures().left(ALICE, "Alice left")).isInstanceOf(SimulatedCrash.class);
        d.probe = CrashProbe.NONE;
        d.restart();
        d.uses.decisions().deny(offboardings().get(0).id(), APPROVER);
        d.sweepAfterTheLeasesRanOut();

        assertThat(offboardings()).singleElement().extracting(Request::status).isEqualTo(Status.DENIED);
        assertThat(d.store.outbox().all()).isEmpty();
    }
}
