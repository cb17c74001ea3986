package dev.awsonboard.lifecycle.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Whose an IAM user is: the one fact every use case asks before it acts for a person. Keyed by
 * IAM's UserId ({@code AIDA...}), which IAM never reuses; a name can be deleted and made again
 * for someone else.
 *
 * @param iamUserName as IAM spells it
 * @param how         how the link was made
 * @param madeBy      the Slack user who made it (an approver, a requester), or the bot
 */
public record Link(String accountId, String iamUserId, String iamUserName, String slackTeamId, String slackUserId,
                   How how, String madeBy, Instant madeAt) {

    public enum How {
        /** The bot created the IAM user for this person. */
        ONBOARDED,
        /** An approved {@code link} request. */
        LINKED,
        /** The IAM user carried the bot's {@code aws-onboard:slack-user} tag when the bot first met it. */
        ADOPTED
    }

    public Link {
        Objects.requireNonNull(iamUserId, "iamUserId");
        Objects.requireNonNull(iamUserName, "iamUserName");
        Objects.requireNonNull(slackUserId, "slackUserId");
        Objects.requireNonNull(how, "how");
    }
}
