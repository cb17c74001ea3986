package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Every approval message posted is recorded on its request and redrawn, even when the request moved on meanwhile. */
class ApprovalMessagesUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void aRequestCancelledWhileItsApprovalMessagesWentOutRecordsThemAndRedrawsThemCancelled() {
        List<List<MessageRef>> redrawn = new ArrayList<>();
        d.slack.whenSent("refreshApprovalRequest", r -> redrawn.add(r.approvalMessages()));
        // The requester cancels the moment the request goes before the approvers, before the post is back.
        d.slack.whenSent("postApprovalRequest", r -> d.uses.decisions().cancel(r.id(), REQUESTER));

        String id = d.ask(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE).notice().arg("id");

        Request r = d.request(id);
        assertThat(r.status()).isEqualTo(Status.CANCELLED);
        assertThat(r.approvalMessages()).as("the message posted for it").hasSize(1);
        assertThat(redrawn).as("its buttons closed").anySatisfy(refs -> assertThat(refs).isEqualTo(r.approvalMessages()));
    }

    @Test
    void approvalMessagesRecordedAfterTheRunStartedDoNotStopTheRun() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        MessageRef late = new MessageRef("D0APPROVER2", "1700000000.000200");
        java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
        // An approver clicked while the other approvers' messages were still going out: they are recorded
        // once the run has already made its first write.
        d.probe = point -> {
            if (point.startsWith("saved PROVISIONING") && recorded.compareAndSet(false, true)) {
                Request now = d.request(id);
                List<MessageRef> all = new ArrayList<>(now.approvalMessages());
                all.add(late);
                d.store.replace(now, now.withApprovalMessages(all, d.clock.instant()));
            }
        };

        d.approve(id);

        Request r = d.request(id);
        assertThat(recorded).isTrue();
        assertThat(r.status()).as("the run went on to the person's turn").isEqualTo(Status.AWAITING_MFA);
        assertThat(r.approvalMessages()).contains(late);
    }
}
