package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AuditEntry;

import dev.awsonboard.config.Secret;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** An audit entry cannot hold a secret, whichever field it was put in and however it got there. */
class AuditEntryTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aSecretStillInUseIsMaskedInEveryField() {
        Secret password = Secret.of("Pa55-w0rd-%-never-kept");
        String p = password.reveal();
        AuditEntry e = new AuditEntry("r-1" + p, T, "U1" + p, "iam:X" + p, "user=alice password=" + p, "ok " + p);
        assertThat(String.join("|", e.requestId(), e.actor(), e.action(), e.detail(), e.outcome()))
                .doesNotContain(p).contains("password=" + Secret.MASK);
    }

    @Test
    void slackTokensAndSeedShapedTextAreMaskedEvenWhenNoSecretObjectKnowsThem() {
        String seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP"; // 40 Base32 characters, like an MFA seed
        AuditEntry e = new AuditEntry("r-1", T, "bot", "slack:x", "token=xoxb-1234-5678-abcdefABCDEF app=xapp-1-A0-999-abcdef seed=" + seed,
                "ok");
        assertThat(e.detail()).doesNotContain("xoxb-1234", "xapp-1-A0", seed).contains("seed=" + Secret.MASK);
    }

    @Test
    void ordinaryIdsStayReadable() {
        String detail = "user=alice.smith key=AKIAIOSFODNN7EXAMPLE serial=arn:aws:iam::123456789012:mfa/alice group=developers";
        assertThat(new AuditEntry("r-abc234defg", T, "UALICE0001", "iam:DeleteAccessKey", detail, "NoSuchEntity").detail())
                .isEqualTo(detail);
    }
}
