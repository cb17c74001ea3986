package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;

import java.util.List;
import java.util.Optional;

/**
 * Use case: from App Home a person asks for an MFA reset (lost phone) or a new console password for
 * one of their own IAM users. It is the same request as the slash command's, put before the approvers
 * the same way; the requester hears how the checks went by DM, as there is no response URL.
 */
public final class SelfService {
    private final Intake intake;
    private final Ownership ownership;

    SelfService(Intake intake, Ownership ownership) {
        this.intake = intake;
        this.ownership = ownership;
    }

    public Outcome<Request> request(String actor, Kind kind, String iamUserName) {
        if (!Overview.SELF_SERVICE.contains(kind)) {
            return Outcome.refused(Reason.NOT_ALLOWED_TO_REQUEST, "kind", kind);
        }
        // The button names the IAM user; only one of the clicker's own is taken from it.
        Optional<String> theirs = ownership.iamUsersOf(actor).stream().filter(n -> n.equalsIgnoreCase(iamUserName)).findFirst();
        if (theirs.isEmpty()) {
            return Outcome.refused(Reason.ONLY_FOR_YOURSELF, "kind", kind);
        }
        return intake.submit(new Intake.NewRequest(kind, actor, theirs.get(), actor, List.of(), ""), Optional.empty());
    }
}
