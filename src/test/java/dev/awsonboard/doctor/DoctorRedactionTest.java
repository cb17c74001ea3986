package dev.awsonboard.doctor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Doctor masks secrets where they stand as values, not every run of their characters (issue 23). */
class DoctorRedactionTest {

    @Test
    void aShortDummySecretDoesNotMaskTheWordsItHappensToSpell() {
        // AWS_SECRET_ACCESS_KEY=test against an emulator: the Slack method's name must stay readable.
        String row = "slack token       FAIL    auth.test did not answer (testing: connection refused)";

        assertThat(Doctor.redact(row, List.of("test"))).isEqualTo(row);
    }

    @Test
    void aSecretStandingAsAValueIsMasked() {
        String text = "token xoxb-123-abc was refused; key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, \"test\" and test.";

        assertThat(Doctor.redact(text, List.of("xoxb-123-abc", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "test")))
                .isEqualTo("token ***** was refused; key=*****, \"*****\" and *****.");
    }

    @Test
    void aSecretInsideALongerTokenIsNotTakenForIt() {
        assertThat(Doctor.redact("xoxb-123-abcdef and test-secret-key", List.of("xoxb-123-abc", "secret")))
                .isEqualTo("xoxb-123-abcdef and test-secret-key");
    }
}
