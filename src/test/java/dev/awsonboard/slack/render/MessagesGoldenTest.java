package dev.awsonboard.slack.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.slack.language.Texts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message a request of each kind shows, in English and Japanese, compared whole with its golden file
 * ({@code src/test/resources/golden/messages-<kind>.<language>.json}): the approval message and what the
 * requester reads in each state it can reach, and what the person reads at each of their steps. An offboarding
 * that removed everything, or stopped half way, carries its summary of what was removed. After a deliberate
 * change of words or blocks, rewrite them with {@code -Dgolden.update=true} and review the diff.
 */
class MessagesGoldenTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final String ID = "r-abc234defg";
    private static final String ALICE = "UALICE0001";
    private static final String REQUESTER = "UREQUESTER";
    private static final String APPROVER = "UAPPROVER1";
    private static final String ARN = "arn:aws:iam::123456789012:user/sampleUser";
    private static final String URL = "https://123456789012.signin.aws.amazon.com/console";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> kindsAndLanguages() {
        return Stream.of(Kind.values()).flatMap(kind -> Stream.of(Arguments.of(kind, "en"), Arguments.of(kind, "ja")));
    }

    /** What IAM said the user holds when the request was checked. */
    private static List<Holding> plan(Kind kind) {
        return switch (kind) {
            case ONBOARD -> List.of();
            case RESET_MFA -> List.of(new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, "arn:aws:iam::123456789012:mfa/sampleUser"),
                    new Holding(Holding.Type.OTHER_MFA_DEVICE, "GAHT12345678"));
            case RESET_PASSWORD -> List.of(new Holding(Holding.Type.LOGIN_PROFILE, "sampleUser"));
            case OFFBOARD -> List.of(new Holding(Holding.Type.LOGIN_PROFILE, "sampleUser"),
                    new Holding(Holding.Type.ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"),
                    new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, "arn:aws:iam::123456789012:mfa/sampleUser"),
                    new Holding(Holding.Type.MANAGED_POLICY, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                    new Holding(Holding.Type.GROUP, "developers"));
            case LINK -> List.of(new Holding(Holding.Type.LOGIN_PROFILE, "sampleUser"),
                    new Holding(Holding.Type.ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE", "2026-10-01"),
                    new Holding(Holding.Type.ACCESS_KEY, "AKIAI44QH8DHBEXAMPLE", Holding.NEVER_USED),
                    new Holding(Holding.Type.GROUP, "developers"));
            case UNLINK -> List.of();
            case ENROL_MFA -> List.of();
            case GRANT -> List.of(new Holding(Holding.Type.GROUP, "developers"));
        };
    }

    private static String reason(Kind kind) {
        return switch (kind) {
            case ONBOARD -> "joins the platform team";
            case RESET_MFA -> "lost phone";
            case RESET_PASSWORD -> "forgot the password";
            case OFFBOARD -> "left the company";
            case LINK -> "her user from before the bot";
            case UNLINK -> "shared admin user, nobody's";
            case ENROL_MFA -> "a console password and no MFA";
            case GRANT -> "database migration";
        };
    }

    private static Request submitted(Kind kind) {
        Request r = Request.submitted(ID, kind, "sampleUser", ALICE, REQUESTER, kind == Kind.ONBOARD ? List.of("developers", "readonly")
                : kind == Kind.GRANT ? List.of("admins") : List.of(), reason(kind), T);
        return kind == Kind.GRANT ? r.withGrant(new GrantTerm(Duration.ofHours(2), null), T) : r;
    }

    /** Checked, and posted to the approvers. */
    private static Request waiting(Kind kind) {
        return submitted(kind)
                .withPlan(plan(kind), T)
                // A re-link: whose the user was when the request was checked.
                .withLinkedTo(kind == Kind.LINK ? "UBOB000001" : kind == Kind.UNLINK ? ALICE : null, T)
                .withApprovalMessages(List.of(new MessageRef("CAPPROVALS", "1732442400.000100")), T)
                .withStatus(Status.REQUESTED, T);
    }

    private static Request approved(Kind kind, Status status) {
        Request r = waiting(kind).withApprover(APPROVER, T).withStatus(status, T).withUser(ARN, URL, T);
        return kind == Kind.GRANT && status != Status.APPROVED ? r.withGrant(r.grant().startingAt(T.plusSeconds(60)), T) : r;
    }

    /** The person's step for kinds that have one: codes for a new QR, or the button that shows a new password. */
    private static Status personStep(Kind kind) {
        return kind.deliversMfa() ? Status.AWAITING_MFA : kind == Kind.RESET_PASSWORD ? Status.AWAITING_PASSWORD
                : kind == Kind.GRANT ? Status.GRANTED : null;
    }

    /** The states a request of {@code kind} can reach that people read about, by name. */
    private static Map<String, Request> states(Kind kind) {
        Map<String, Request> states = new LinkedHashMap<>();
        states.put("SUBMITTED", submitted(kind));
        states.put("REQUESTED", waiting(kind));
        states.put("APPROVED", approved(kind, Status.APPROVED));
        states.put("PROVISIONING", approved(kind, Status.PROVISIONING));
        Status step = personStep(kind);
        Request atStep = step == null ? null : kind == Kind.GRANT ? approved(kind, step).withStep(Step.GROUP_GRANTED, T)
                : approved(kind, step)
                .withDelivery("DALICE0001", kind.deliversMfa() ? "F0QRCODE01" : null, T)
                .withSetupMessage(new MessageRef("DALICE0001", "1732442460.000200"), T);
        if (step != null) {
            states.put(step.name(), atStep);
        }
        states.put("DONE", kind == Kind.GRANT ? atStep.withStep(Step.GRANT_ENDED, T).withEnding(Status.DONE,
                        Notice.of(Reason.GRANT_ENDED, "until", atStep.grant().endsAt()), T)
                : step != null ? atStep.withStatus(Status.DONE, T) : approved(kind, Status.DONE).withRemoved(plan(kind), T));
        if (kind == Kind.GRANT) {
            states.put("DONE, ended early", atStep.withStep(Step.GRANT_ENDED, T).withEnding(Status.DONE,
                    Notice.of(Reason.GRANT_ENDED_EARLY, "by", ALICE), T));
            states.put("DONE, taken out by hand", atStep.withStep(Step.GRANT_ENDED, T).withEnding(Status.DONE,
                    Notice.of(Reason.GRANT_LEFT_EARLIER, "group", "admins"), T));
        }
        states.put("DENIED", waiting(kind).withApprover(APPROVER, T).withStatus(Status.DENIED, T));
        states.put("CANCELLED", waiting(kind).withEnding(Status.CANCELLED, Notice.of(Reason.CANCELLED_BY, "by", REQUESTER), T));
        if (step != null && kind != Kind.GRANT) {
            states.put("CANCELLED by a newer request while waiting for the person", atStep.withEnding(Status.CANCELLED,
                    Notice.of(Reason.SUPERSEDED, "id", "r-newer23456", "kind", Kind.OFFBOARD), T));
        }
        states.put("REJECTED", submitted(kind).withEnding(Status.REJECTED, Notice.of(kind == Kind.ONBOARD ? Reason.USER_EXISTS
                : Reason.IAM_USER_NOT_FOUND, "user", "sampleUser"), T));
        states.put("EXPIRED waiting for approval", waiting(kind).withEnding(Status.EXPIRED,
                Notice.of(Reason.NOT_APPROVED_IN_TIME, "duration", Duration.ofDays(7)), T));
        if (step != null && kind != Kind.GRANT) {
            states.put("EXPIRED waiting for the person", atStep.withEnding(Status.EXPIRED,
                    Notice.of(Reason.NOT_FINISHED_IN_TIME, "duration", Duration.ofHours(24)), T));
        }
        Notice iamFailed = Notice.of(Reason.IAM_FAILED, "action", kind == Kind.ONBOARD ? "CreateLoginProfile" : "DeleteUser",
                "code", "LimitExceeded");
        states.put("FAILED", approved(kind, Status.PROVISIONING).withEnding(Status.FAILED, iamFailed, T));
        if (kind == Kind.OFFBOARD) {
            // Stopped half way: the summary says what went, the leftovers note what stayed.
            states.put("FAILED half way", approved(kind, Status.PROVISIONING).withRemoved(plan(kind).subList(0, 2), T)
                    .withEnding(Status.FAILED, Notice.of(Reason.IAM_FAILED, "action", "DetachUserPolicy", "code", "ServiceFailure"), T)
                    .withLeftovers(T));
        } else if (kind == Kind.ONBOARD) {
            states.put("FAILED with leftovers", approved(kind, Status.PROVISIONING).withEnding(Status.FAILED, iamFailed, T)
                    .withLeftovers(T));
        }
        return states;
    }

    private static ObjectNode message(String text, Object blocks) {
        ObjectNode node = JSON.createObjectNode().put("text", text);
        if (blocks != null) {
            node.set("blocks", Golden.tree(blocks));
        }
        return node;
    }

    /**
     * What the person reads in this state, if anything: their setup or password button, or once it began, the setup
     * message closed and what ended it.
     */
    private static ObjectNode person(Texts t, Request r) {
        ObjectNode node = JSON.createObjectNode();
        if (r.kind() == Kind.GRANT && (r.status() == Status.GRANTED || r.status() == Status.DONE)) {
            node.set("grant", message(Messages.forPerson(t, r), Messages.forPersonBlocks(t, r)));
        } else if (r.status() == Status.AWAITING_MFA) {
            node.set("setup", message(Messages.setupText(t, r), Messages.setup(t, r, URL, r.groups().isEmpty())));
        } else if (r.status() == Status.AWAITING_PASSWORD) {
            node.set("passwordInvite", message(Messages.passwordInviteText(t, r), Messages.passwordInvite(t, r)));
        } else if (r.status() == Status.DONE && r.setupMessage() != null) {
            node.set("closedSetup", message(t.plain("setup.closed"), Messages.closedSetup(t, r)));
            node.set("done", message(Messages.setupDoneText(t, r), Messages.setupDone(t, r, r.kind() == Kind.ONBOARD)));
        } else if (r.status().isTerminal() && r.setupMessage() != null) {
            // The person's setup had begun (Cleanup.endSetup tells them only then).
            node.set("closedSetup", message(t.plain("setup.closed"), Messages.closedSetup(t, r)));
            node.set("ended", message(Messages.setupEnded(t, r), null));
        }
        return node;
    }

    static String golden(Kind kind, Texts t) {
        ObjectNode all = JSON.createObjectNode();
        states(kind).forEach((name, r) -> {
            ObjectNode state = all.putObject(name);
            state.set("approval", message(Messages.approvalText(t, r), Messages.approval(t, r)));
            state.set("requester", message(Messages.forRequester(t, r), Messages.forRequesterBlocks(t, r)));
            ObjectNode person = person(t, r);
            if (!person.isEmpty()) {
                state.set("person", person);
            }
        });
        return Golden.pretty(all);
    }

    static String fileName(Kind kind, Texts t) {
        return "messages-" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "." + t.languageTag() + ".json";
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("kindsAndLanguages")
    void everyMessageOfARequestMatchesItsGoldenFile(Kind kind, String language) {
        Texts t = Texts.speaking(language).orElseThrow();
        Golden.assertMatches(fileName(kind, t), golden(kind, t));
    }

    /**
     * An onboarding into admins under two rules, one of them two-person: what every approver's copy and the requester
     * read as approvals come in, and after a Deny.
     */
    static String twoPersonGolden(Texts t) {
        List<ApprovalNeed> none = List.of(new ApprovalNeed("admins", 2, List.of(APPROVER, "S0SECOPS"), List.of()),
                new ApprovalNeed("developers", 1, List.of("UDEVLEAD01"), List.of()));
        Request waiting = Request.submitted(ID, Kind.ONBOARD, "sampleUser", ALICE, REQUESTER, List.of("developers", "admins"),
                        "on call", T).withApprovalMessages(List.of(new MessageRef("CAPPROVALS", "1732442400.000100")), T)
                .withNeeds(none, T).withStatus(Status.REQUESTED, T);
        Approval first = new Approval(APPROVER, T.plusSeconds(60));
        Approval second = new Approval("USECOPS001", T.plusSeconds(120));
        Request oneOfTwo = waiting.withApprovals(List.of(first), List.of(
                new ApprovalNeed("admins", 2, List.of(APPROVER, "S0SECOPS"), List.of(APPROVER)),
                new ApprovalNeed("developers", 1, List.of("UDEVLEAD01"), List.of())), T);
        Request approved = oneOfTwo.withApprovals(List.of(first, second), List.of(
                        new ApprovalNeed("admins", 2, List.of(APPROVER, "S0SECOPS"), List.of(APPROVER, "USECOPS001")),
                        new ApprovalNeed("developers", 1, List.of("UDEVLEAD01"), List.of("USECOPS001"))), T)
                .withApprover("USECOPS001", T).withStatus(Status.PROVISIONING, T).withUser(ARN, URL, T);
        Request denied = oneOfTwo.withApprover("USECOPS001", T).withStatus(Status.DENIED, T);
        Map<String, Request> states = new LinkedHashMap<>();
        states.put("REQUESTED", waiting);
        states.put("REQUESTED, 1 of 2", oneOfTwo);
        states.put("PROVISIONING, 2 of 2", approved);
        states.put("DENIED after 1 of 2", denied);
        ObjectNode all = JSON.createObjectNode();
        states.forEach((name, r) -> {
            ObjectNode state = all.putObject(name);
            state.set("approval", message(Messages.approvalText(t, r), Messages.approval(t, r)));
            state.set("requester", message(Messages.forRequester(t, r), Messages.forRequesterBlocks(t, r)));
        });
        return Golden.pretty(all);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"en", "ja"})
    void twoPersonApprovalMessagesMatchTheirGoldenFile(String language) {
        Texts t = Texts.speaking(language).orElseThrow();
        Golden.assertMatches("messages-two-person." + t.languageTag() + ".json", twoPersonGolden(t));
    }

    @Test
    void theGoldensCoverEveryMainStateOfEveryKind() {
        for (Kind kind : Kind.values()) {
            List<String> states = new ArrayList<>(states(kind).keySet());
            assertThat(states).as(kind.name()).contains("REQUESTED", "APPROVED", "PROVISIONING", "DONE", "DENIED", "CANCELLED",
                    "REJECTED", "EXPIRED waiting for approval", "FAILED");
            states(kind).forEach((name, r) -> assertThat(name).as(kind.name()).startsWith(r.status().name()));
        }
        assertThat(states(Kind.OFFBOARD).get("DONE").removed()).as("the offboarding summary").isNotEmpty();
    }

    @Test
    void anOffboardingsApproversAndRequesterReadWhatWasRemoved() throws IOException {
        for (Texts t : List.of(Texts.english(), Texts.of(Texts.JAPANESE))) {
            var golden = JSON.readTree(golden(Kind.OFFBOARD, t));
            for (String state : List.of("DONE", "FAILED half way")) {
                for (String reader : List.of("approval", "requester")) {
                    assertThat(golden.path(state).path(reader).path("blocks").findValuesAsText("block_id"))
                            .as(t.languageTag() + " " + state + " " + reader).contains("removed");
                }
            }
            assertThat(golden.path("DONE").toString()).as(t.languageTag()).contains("`AKIAIOSFODNN7EXAMPLE`", "`developers`");
        }
    }
}
