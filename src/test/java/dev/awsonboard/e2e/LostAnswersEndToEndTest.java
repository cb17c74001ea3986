package dev.awsonboard.e2e;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * IAM carries out a create and its answer is lost on the wire (a reset in the middle of the answer,
 * a 500 from behind the front end), with no SDK retries as in production: the bot recognises what
 * the request made (its request-id tag, the serial it recorded) and carries on, or undoes it.
 */
class LostAnswersEndToEndTest {
    @TempDir
    Path dir;
    TestBot t;

    @BeforeEach
    void start() {
        t = TestBot.start(dir);
        t.iamSdkRetries = 0;
        t.restart();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void anOnboardingWhoseCreateUserAnswerWasLostWhileIamLagsAdoptsItsTaggedUserAndCompletes() {
        String id = t.requestSampleUser();
        t.iam.loseAnswerOfNext("CreateUser", 1, FakeIam.LostAnswer.reset());
        t.iam.hideNewEntities(2); // the GetUser after EntityAlreadyExists does not see the new user at once

        t.approve(APPROVER, id);
        t.finishSetup(id);

        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(2);
        assertThat(done.userArn()).isEqualTo(t.iam.user("sampleUser").orElseThrow().arn());
        assertThat(t.iam.user("sampleUser").orElseThrow().tags()).containsEntry("aws-onboard:request-id", id);
    }

    @Test
    void aFailedOnboardingRemovesTheUserItsLostCreateUserMadeThoughNoArnWasRecorded() {
        String id = t.requestSampleUser();
        t.iam.loseAnswerOfNext("CreateUser", 1, FakeIam.LostAnswer.serverError());
        t.iam.failNext("GetUser", 1, "AccessDenied", 403); // the run cannot read what it made, and fails

        t.approve(APPROVER, id);

        Request failed = t.awaitStatus(id, Status.FAILED);
        assertThat(failed.userArn()).isNull();
        // The undo follows the recorded failure.
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.messages(TestBot.dm(TestBot.REQUESTER)).toString().contains("failed"));
        assertThat(t.iam.user("sampleUser")).as("the user the lost CreateUser made").isEmpty();
        assertThat(t.orphanDevices()).isEmpty();
    }

    @Test
    void anMfaResetWhoseCreateVirtualMfaDeviceAnswerWasLostGivesThePersonANewDevice() {
        t.preexistingIamUser("sampleUser", Map.of("aws-onboard:request-id", "r-installed-before", "aws-onboard:slack-user", ALICE));
        String id = t.submit(ALICE, "reset-mfa sampleUser lost my phone");
        t.iam.loseAnswerOfNext("CreateVirtualMFADevice", 1, FakeIam.LostAnswer.serverError());

        t.approve(APPROVER, id);
        t.finishSetup(id);

        Request done = t.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(t.iam.user("sampleUser").orElseThrow().mfaDevices()).containsExactly(done.mfaSerial());
        assertThat(t.orphanDevices()).isEmpty();
    }
}
