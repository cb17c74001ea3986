package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The weekly MFA coverage: once per week from its day's 09:00 UTC, not lost to a failure, never twice. */
class MfaSummaryUseCaseTest {
    private final Domain d = new Domain(); // its NOW is a Tuesday 10:00 UTC, the summary's day

    private MfaSummary summary() {
        return d.uses.mfaSummary();
    }

    @Test
    void thisWeeksSummaryGoesOutOnceWithTheCountsOfConsoleUsersWithoutMfa() {
        d.onboardAlice();
        d.iam.existing("legacy.admin", "/", Map.of(), true);

        assertThat(summary().sendIfDue()).isTrue();
        assertThat(summary().sendIfDue()).as("sent already this week").isFalse();
        d.clock.advance(Duration.ofDays(2));
        assertThat(summary().sendIfDue()).isFalse();

        assertThat(d.summaries).containsExactly(new AccountUsers.Coverage(1, 0, 1));
    }

    @Test
    void nextWeekWaitsForItsDayAndHour() {
        summary().sendIfDue();
        d.clock.advance(Duration.ofDays(6)); // Monday of the next week
        assertThat(summary().sendIfDue()).isFalse();
        d.clock.advance(Duration.ofHours(22)); // Tuesday 08:00
        assertThat(summary().sendIfDue()).isFalse();
        d.clock.advance(Duration.ofHours(1)); // Tuesday 09:00

        assertThat(summary().sendIfDue()).isTrue();
        assertThat(d.summaries).hasSize(2);
    }

    @Test
    void iamNotReadableOrSlackRefusingLeavesItToTheNextLook() {
        d.iam.failNext("GenerateCredentialReport", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        assertThat(summary().sendIfDue()).isFalse();

        d.refuseSummaries = true;
        assertThat(summary().sendIfDue()).as("Slack refuses it").isFalse();
        d.refuseSummaries = false;

        assertThat(summary().sendIfDue()).as("both answer again").isTrue();
        assertThat(d.summaries).hasSize(1);
    }

    @Test
    void whileAnotherReplicaSendsItThisOneDoesNot() {
        String week = "mfa-summary:2026-W48";
        d.leases.claim(week, "replica-2", d.clock.instant(), d.clock.instant().plus(Duration.ofMinutes(5)));

        assertThat(summary().sendIfDue()).isFalse();
        assertThat(d.summaries).isEmpty();
    }
}
