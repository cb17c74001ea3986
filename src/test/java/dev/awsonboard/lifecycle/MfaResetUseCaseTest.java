package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

/** The MFA reset's story ({@link MfaReset}) on in-memory ports. */
class MfaResetUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void theVirtualDevicesAreReplacedTheHardwareTokenStaysAndThePersonsCodesFinishIt() {
        String onboarding = d.onboardAlice();
        String oldSerial = d.request(onboarding).mfaSerial();
        String hardware = d.iam.giveHardwareToken("sampleUser");
        String oldSeed = d.iam.seedOf(oldSerial);

        String id = d.submitted(ALICE, Kind.RESET_MFA, null, ALICE);
        Request asked = d.request(id);
        assertThat(asked.iamUserName()).isEqualTo("sampleUser");
        assertThat(asked.plan()).containsExactly(new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, oldSerial),
                new Holding(Holding.Type.OTHER_MFA_DEVICE, hardware));

        Request waiting = d.approve(id);
        assertThat(waiting.status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(waiting.removed()).containsExactly(new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, oldSerial));
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).containsExactly(hardware);
        assertThat(d.iam.seedOf(waiting.mfaSerial())).isNotEqualTo(oldSeed);

        assertThat(d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE)).result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).containsExactlyInAnyOrder(hardware, waiting.mfaSerial());
        assertThat(d.iam.count("UpdateLoginProfile") + d.iam.count("DeleteLoginProfile")).isZero();
        // The onboarding's codes form is out of date now.
        assertThat(d.uses.mfa().refusal(onboarding, ALICE).orElseThrow().reason()).isEqualTo(Reason.OUT_OF_DATE);
    }

    @Test
    void itActsForTheOwnerNeverForWhoeverIsNamed() {
        d.onboardAlice();
        int told = d.slack.told().size();

        Request mine = d.request(d.ask(MALLORY, Kind.RESET_MFA, "sampleUser", MALLORY).notice().arg("id"));
        assertThat(mine.status()).isEqualTo(Status.REJECTED);
        assertThat(mine.ending().reason()).isEqualTo(Reason.IAM_USER_BELONGS_TO_OTHER);
        assertThat(mine.ending().args()).containsEntry("owner", ALICE).containsEntry("person", MALLORY);
        assertThat(d.slack.told().subList(told, d.slack.told().size())).extracting(RecordingNotifier.Told::what)
                .containsExactly("notifyRequester");

        String forAlice = d.submitted(APPROVER, Kind.RESET_MFA, "SAMPLEUSER", null);
        assertThat(d.request(forAlice).targetUserId()).isEqualTo(ALICE);
    }

    @Test
    void anIamUserWhoseOwnerIsUnknownCannotBeReset() {
        d.iam.existing("legacy", Map.of());
        Request r = d.request(d.ask(APPROVER, Kind.RESET_MFA, "legacy", null).notice().arg("id"));

        assertThat(r.ending().reason()).isEqualTo(Reason.IAM_USER_OWNER_UNKNOWN);
    }

    @Test
    void whenTheNewDeviceCannotBeMadeOnlyThatDeviceIsTakenBackTheOldOnesStayGone() {
        String onboarding = d.onboardAlice();
        String oldSerial = d.request(onboarding).mfaSerial();
        String id = d.submitted(ALICE, Kind.RESET_MFA, "sampleUser", null);
        d.slack.refuse("reserveQr", "user_not_found");

        Request failed = d.approve(id);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.ending().reason()).isEqualTo(Reason.PERSON_UNREACHABLE);
        assertThat(d.iam.user("sampleUser")).isPresent();
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).isEmpty();
        assertThat(d.iam.devices()).extracting(InMemoryIam.Device::serial).doesNotContain(oldSerial).isEmpty();
    }

    @Test
    void aDeviceIamRefusesToMakeFailsTheResetAndTellsTheRequester() {
        d.onboardAlice();
        d.iam.failNext("CreateVirtualMFADevice", InMemoryIam.error(IamException.Kind.LIMIT_EXCEEDED, "LimitExceeded"));
        String id = d.submitted(ALICE, Kind.RESET_MFA, "sampleUser", null);

        Request failed = d.approve(id);
        assertThat(failed.ending().reason()).isEqualTo(Reason.IAM_LIMIT_REACHED);
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::status).endsWith("FAILED");
    }
}
