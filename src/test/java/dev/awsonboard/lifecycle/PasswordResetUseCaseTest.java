package dev.awsonboard.lifecycle;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** The password reset's story ({@link PasswordReset}) and the person's click ({@link PasswordReveal}) on in-memory ports. */
class PasswordResetUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void nothingIsSetBeforeThePersonClicksThenOnePasswordOnlyTheySeeAndTheResetIsDone() {
        d.onboardAlice();
        Secret before = d.iam.user("sampleUser").orElseThrow().password;
        String id = d.submitted(ALICE, Kind.RESET_PASSWORD, null, ALICE);

        Request waiting = d.approve(id);
        assertThat(waiting.status()).isEqualTo(Status.AWAITING_PASSWORD);
        assertThat(d.iam.user("sampleUser").orElseThrow().password).isEqualTo(before);
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).contains("sendPasswordInvite");

        assertThat(d.uses.passwords().reveal(id, MALLORY, false).notice().reason()).isEqualTo(Reason.ONLY_PERSON_SEES_PASSWORD);
        Outcome<Secret> shown = d.uses.passwords().reveal(id, ALICE, false);
        assertThat(shown).isInstanceOf(Outcome.Done.class);
        Secret password = ((Outcome.Done<Secret>) shown).value();
        assertThat(d.iam.user("sampleUser").orElseThrow().password).isEqualTo(password).isNotEqualTo(before);
        assertThat(d.iam.user("sampleUser").orElseThrow().passwordResetRequired).isTrue();

        d.uses.passwords().shown(id);
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
        assertThat(d.uses.passwords().refusal(id, ALICE, false).orElseThrow().reason()).isEqualTo(Reason.OUT_OF_DATE);
    }

    @Test
    void aSecondPasswordWaitsAMinuteAndAUserWithoutConsolePasswordGetsOne() {
        d.iam.existing("legacy", Map.of(dev.awsonboard.lifecycle.model.Tags.SLACK_USER, ALICE));
        String id = d.submitted(APPROVER, Kind.RESET_PASSWORD, "legacy", null);
        d.approve(id);

        Outcome<Secret> first = d.uses.passwords().reveal(id, ALICE, false);
        assertThat(d.iam.user("legacy").orElseThrow().password).isEqualTo(((Outcome.Done<Secret>) first).value());
        assertThat(d.iam.count("CreateLoginProfile")).isEqualTo(1);
        assertThat(d.uses.passwords().reveal(id, ALICE, false).notice().reason()).isEqualTo(Reason.PASSWORD_RATE_LIMITED);
        d.clock.advance(Duration.ofMinutes(1));
        Outcome<Secret> second = d.uses.passwords().reveal(id, ALICE, false);
        assertThat(d.iam.user("legacy").orElseThrow().password).isEqualTo(((Outcome.Done<Secret>) second).value());
        assertThat(d.iam.count("CreateLoginProfile")).isEqualTo(1);
    }

    @Test
    void someoneWhoIsNotTheOwnerCannotAskForThemselvesNorForTheOwner() {
        d.onboardAlice();

        assertThat(d.request(d.ask(REQUESTER, Kind.RESET_PASSWORD, "sampleUser", REQUESTER).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.IAM_USER_BELONGS_TO_OTHER);
        assertThat(d.ask(REQUESTER, Kind.RESET_PASSWORD, "sampleUser", ALICE).notice().reason()).isEqualTo(Reason.ONLY_FOR_YOURSELF);
        assertThat(d.request(d.ask(REQUESTER, Kind.RESET_PASSWORD, "sampleUser", null).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.ONLY_FOR_YOURSELF);
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::requestId)
                .containsOnly("r-1");
    }
}
