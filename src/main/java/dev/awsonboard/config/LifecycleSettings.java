package dev.awsonboard.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the lifecycle commands, languages and reminders.
 *
 * @param whoMayRequest              per command ("resetMfa", "resetPassword", "offboard", "link", "unlink", "grant"): "anyone", "self"
 *                                   (anyone for themselves, approvers for anyone) or "approvers"
 * @param offboardAnyUser            offboarding may remove IAM users this bot did not create
 * @param attachChangePasswordPolicy attach IAMUserChangePassword to users who must change their password
 * @param defaultLanguage            "en" or "ja": channels, and people whose Slack locale is neither
 * @param offboardWhenDeactivated    a person deactivated in Slack gets an offboarding request (for approval)
 * @param departureCheckEvery        how often every linked person is looked up in Slack, so that a deactivation whose
 *                                   event never came is found too (with {@code offboardWhenDeactivated})
 * @param mfaSummary                 the weekday a summary of MFA coverage goes to the approval channel; empty: none
 */
public record LifecycleSettings(Map<String, String> whoMayRequest, boolean offboardAnyUser, boolean attachChangePasswordPolicy,
                        String defaultLanguage, Reminders reminders, boolean offboardWhenDeactivated,
                        Duration departureCheckEvery, Optional<DayOfWeek> mfaSummary) {

    /** Slack paused event delivery for about 16 hours in February 2025 without replaying it: an hourly look catches up. */
    public static final Duration DEPARTURE_CHECK_EVERY = Duration.ofHours(1);

    public LifecycleSettings {
        whoMayRequest = Map.copyOf(whoMayRequest);
    }

    public LifecycleSettings(Map<String, String> whoMayRequest, boolean offboardAnyUser, boolean attachChangePasswordPolicy,
                             String defaultLanguage, Reminders reminders, boolean offboardWhenDeactivated) {
        this(whoMayRequest, offboardAnyUser, attachChangePasswordPolicy, defaultLanguage, reminders, offboardWhenDeactivated,
                DEPARTURE_CHECK_EVERY, Optional.empty());
    }

    public static LifecycleSettings defaults() {
        return new LifecycleSettings(Map.of(), false, true, "en", Reminders.defaults(), true);
    }

    /**
     * @param approvalEvery how long a request waits for approval before the approvers are reminded (again)
     * @param approvalMax   at most this many reminders per request
     * @param quietFrom     quiet hours start (approvers' local time), if any
     * @param quietUntil    quiet hours end
     * @param setupAfter    after how long a setup waiting for the person reminds them, each once
     * @param grantEndingBefore how long before a grant ends its person is reminded (outside their quiet hours); empty: never
     */
    public record Reminders(Duration approvalEvery, int approvalMax, Optional<LocalTime> quietFrom,
                            Optional<LocalTime> quietUntil, List<Duration> setupAfter, Optional<Duration> grantEndingBefore) {
        public Reminders {
            setupAfter = List.copyOf(setupAfter);
        }

        public static Reminders defaults() {
            return new Reminders(Duration.ofHours(4), 3, Optional.of(LocalTime.of(20, 0)), Optional.of(LocalTime.of(8, 0)),
                    List.of(Duration.ofHours(2), Duration.ofHours(20)), Optional.of(Duration.ofMinutes(15)));
        }
    }
}
