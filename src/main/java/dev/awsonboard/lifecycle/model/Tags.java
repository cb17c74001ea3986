package dev.awsonboard.lifecycle.model;

/** Tag keys the bot puts on the IAM users it creates; the request-id tag marks a user as ours. */
public final class Tags {
    public static final String REQUEST_ID = "aws-onboard:request-id";
    public static final String SLACK_USER = "aws-onboard:slack-user";
    public static final String REQUESTED_BY = "aws-onboard:requested-by";
    public static final String APPROVED_BY = "aws-onboard:approved-by";

    private Tags() {
    }
}
