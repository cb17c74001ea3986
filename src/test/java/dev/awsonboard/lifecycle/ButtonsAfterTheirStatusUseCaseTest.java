package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The person's buttons arrive once the status that makes them valid is stored: a click the moment
 * the DM arrives (seen from outside at about 40 ms, longer when the database is busy) is honoured,
 * not answered "out of date".
 */
class ButtonsAfterTheirStatusUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void showPasswordClickedTheMomentTheSetupMessageArrivesIsHonoured() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        List<Optional<Notice>> clicks = new ArrayList<>();
        List<Status> stored = new ArrayList<>();
        d.slack.whenSent("sendSetupInstructions", r -> {
            stored.add(d.request(r.id()).status());
            clicks.add(d.uses.passwords().refusal(r.id(), ALICE, false));
        });

        d.approve(id);

        assertThat(stored).containsExactly(Status.AWAITING_MFA);
        assertThat(clicks).containsExactly(Optional.empty());
        assertThat(d.request(id).setupMessage()).as("recorded, so the end can close it").isNotNull();
    }

    @Test
    void enterCodesClickedTheMomentTheSetupMessageArrivesOpensTheForm() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        List<Optional<Notice>> clicks = new ArrayList<>();
        d.slack.whenSent("sendSetupInstructions", r -> clicks.add(d.uses.mfa().refusal(r.id(), ALICE)));

        d.approve(id);

        assertThat(clicks).containsExactly(Optional.empty());
    }

    @Test
    void aPasswordInviteClickedTheMomentItArrivesShowsThePassword() {
        d.onboardAlice();
        String reset = d.submitted(ALICE, Kind.RESET_PASSWORD, "sampleUser", null);
        List<Optional<Notice>> clicks = new ArrayList<>();
        d.slack.whenSent("sendPasswordInvite", r -> clicks.add(d.uses.passwords().refusal(r.id(), ALICE, false)));

        d.approve(reset);

        assertThat(clicks).containsExactly(Optional.empty());
        assertThat(d.request(reset).status()).isEqualTo(Status.AWAITING_PASSWORD);
        assertThat(d.request(reset).setupMessage()).isNotNull();
        assertThat(d.request(reset).dmChannel()).isNotNull();
    }

    @Test
    void aPersonSlackWillNotLetTheBotReachEndsThePasswordResetWithNothingChanged() {
        d.onboardAlice();
        String reset = d.submitted(ALICE, Kind.RESET_PASSWORD, "sampleUser", null);
        d.slack.refuse("sendPasswordInvite", "user_not_visible");

        d.approve(reset);

        assertThat(d.request(reset).status()).isEqualTo(Status.FAILED);
        assertThat(d.request(reset).ending().reason()).isEqualTo(dev.awsonboard.lifecycle.model.Reason.PERSON_UNREACHABLE);
        assertThat(d.slack.toldTo(ALICE)).filteredOn(t -> t.requestId().equals(reset) && t.what().equals("notifyRequester"))
                .extracting(RecordingNotifier.Told::status).endsWith("FAILED");
    }
}
