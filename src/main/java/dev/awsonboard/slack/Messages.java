package dev.awsonboard.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import dev.awsonboard.onboarding.Request;

import java.util.ArrayList;
import java.util.List;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static dev.awsonboard.slack.SlackText.escape;
import static dev.awsonboard.slack.SlackText.mention;

/** Pure builders of the bot's messages: same request in, same blocks out. */
public final class Messages {
    private Messages() {
    }

    public static final String HELP = String.join("\n",
            "*/aws-onboard* creates an AWS IAM user with MFA for someone, after an approver says yes.",
            "• `/aws-onboard <iam-user-name> @person [groups=g1,g2] [reason]` asks for access right away.",
            "• `/aws-onboard` or `/aws-onboard <iam-user-name>` opens a form for the rest.",
            "• `/aws-onboard help` shows this.",
            "Approvers get Approve / Deny buttons. The person gets a DM with a QR code for their authenticator app, "
                    + "their sign-in link and user name, a button to see a one-time password, and a button to enter two codes.");

    public static String approvalText(Request r) {
        return "AWS access request for " + mention(r.targetUserId()) + " (IAM user " + r.iamUserName() + "): " + statusLine(r);
    }

    public static List<LayoutBlock> approval(Request r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("AWS access request"))));
        blocks.add(section(s -> s.fields(List.of(
                markdownText("*Requested by*\n" + mention(r.requesterUserId())),
                markdownText("*For*\n" + mention(r.targetUserId())),
                markdownText("*IAM user*\n`" + escape(r.iamUserName()) + "`"),
                markdownText("*Groups*\n" + (r.groups().isEmpty() ? "_none_" : escape(String.join(", ", r.groups()))))))));
        if (!r.reason().isBlank()) {
            blocks.add(section(s -> s.text(markdownText("*Reason*\n" + escape(SlackText.clip(r.reason(), 2900))))));
        }
        blocks.add(section(s -> s.blockId("status").text(markdownText(statusLine(r)))));
        if (r.status() == dev.awsonboard.onboarding.Status.REQUESTED) {
            List<BlockElement> buttons = List.of(
                    button(b -> b.actionId(Ids.APPROVE).value(r.id()).style("primary").text(plainText("Approve"))
                            .confirm(confirmationDialog(c -> c.title(plainText("Create this IAM user?"))
                                    .text(markdownText("This creates IAM user `" + escape(r.iamUserName()) + "` for "
                                            + mention(r.targetUserId()) + " in the AWS account."))
                                    .confirm(plainText("Approve")).deny(plainText("Cancel"))))),
                    button(b -> b.actionId(Ids.DENY).value(r.id()).style("danger").text(plainText("Deny"))));
            blocks.add(actions(a -> a.blockId("decision").elements(buttons)));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText("Request `" + r.id() + "`")))));
        return blocks;
    }

    /** One line that says where the request stands and who moved it there. */
    public static String statusLine(Request r) {
        String by = r.approverUserId() == null ? "" : mention(r.approverUserId());
        return switch (r.status()) {
            case REQUESTED -> ":hourglass_flowing_sand: Waiting for an approver.";
            case APPROVED -> ":white_check_mark: Approved by " + by + ". Starting…";
            case PROVISIONING -> ":gear: Approved by " + by + ". Creating the IAM user…";
            case AWAITING_MFA -> ":iphone: Approved by " + by + ". IAM user created; waiting for "
                    + mention(r.targetUserId()) + " to set up MFA.";
            case ACTIVE -> ":tada: Approved by " + by + ". Done: " + mention(r.targetUserId()) + " has MFA enabled.";
            case DENIED -> ":no_entry: Denied by " + by + ".";
            case CANCELLED -> ":heavy_multiplication_x: Cancelled" + reasonSuffix(r);
            case EXPIRED -> ":alarm_clock: Expired" + reasonSuffix(r);
            case FAILED -> ":x: Failed" + reasonSuffix(r);
        };
    }

    private static String reasonSuffix(Request r) {
        return r.failureReason() == null ? "." : ": " + escape(r.failureReason()) + ".";
    }

    /** What the requester hears about their request. */
    public static String forRequester(Request r) {
        String who = mention(r.targetUserId()) + " (IAM user `" + escape(r.iamUserName()) + "`)";
        return switch (r.status()) {
            case REQUESTED -> "Your request for " + who + " is waiting for approval.";
            case APPROVED, PROVISIONING -> "Your request for " + who + " was approved by " + mention(r.approverUserId()) + ".";
            case AWAITING_MFA -> "The IAM user for " + who + " is ready; they have their setup in a DM.";
            case ACTIVE -> who + " is onboarded: MFA is enabled.";
            case DENIED -> "Your request for " + who + " was denied by " + mention(r.approverUserId()) + ".";
            case CANCELLED, EXPIRED, FAILED -> "Your request for " + who + " " + r.status().label() + reasonSuffix(r)
                    + (r.status() == dev.awsonboard.onboarding.Status.FAILED ? " Nothing was left behind in IAM unless the reason says so." : "");
        };
    }

    public static String setupText(String iamUserName) {
        return "Your AWS account is ready. IAM user: " + iamUserName;
    }

    /** The DM that goes with the QR image: where to sign in, as whom, and the two buttons. */
    public static List<LayoutBlock> setup(Request r, String signInUrl) {
        return List.of(
                header(h -> h.text(plainText("Your AWS account is ready"))),
                section(s -> s.text(markdownText(String.join("\n",
                        "*Sign-in URL:* " + signInUrl,
                        "*IAM user name:* `" + escape(r.iamUserName()) + "`",
                        "*Password:* click *Show password*; it is shown only to you and must be changed at first sign-in.")))),
                section(s -> s.text(markdownText(String.join("\n",
                        "*Set up MFA before you sign in:*",
                        "1. Scan the QR code above with your authenticator app (Google Authenticator, 1Password, Authy…).",
                        "2. Click *Enter codes* and type two consecutive codes, or reply here with both, like `123456 654321`.",
                        "The QR code is deleted as soon as MFA is on.")))),
                actions(a -> a.blockId("setup").elements(List.of(
                        button(b -> b.actionId(Ids.ENTER_CODES).value(r.id()).style("primary").text(plainText("Enter codes"))),
                        button(b -> b.actionId(Ids.SHOW_PASSWORD).value(r.id()).text(plainText("Show password")))))));
    }

    public static String setupExpired(Request r) {
        return ":alarm_clock: Your AWS setup for `" + escape(r.iamUserName()) + "` expired before MFA was turned on, "
                + "so the IAM user was removed and the QR code deleted. Ask " + mention(r.requesterUserId()) + " for a new request.";
    }

    public static String setupDone(Request r) {
        return ":white_check_mark: MFA is enabled for `" + escape(r.iamUserName()) + "`. Sign in at " + r.signInUrl()
                + " with your one-time password (Show password), then set a new password. The QR code has been deleted.";
    }
}
