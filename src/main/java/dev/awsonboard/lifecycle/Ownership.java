package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.RequestStore;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who an IAM user belongs to, and which IAM users a person has, as far as the bot knows: the one
 * place every use case asks, so that none acts for someone the IAM user is not theirs.
 */
final class Ownership {
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");
    /** The statuses that give a person an IAM user or take it away; their waiting or refused requests can be many. */
    private static final Set<Status> HOLDING = holding();

    private final RequestStore store;

    Ownership(RequestStore store) {
        this.store = store;
    }

    private static Set<Status> holding() {
        Set<Status> s = EnumSet.of(Status.DONE);
        s.addAll(Status.AWAITING_PERSON);
        return s;
    }

    /** The IAM users this bot made or reset for a person and has not offboarded since. */
    List<String> iamUsersOf(String slackUserId) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Request r : store.findByTarget(slackUserId, HOLDING)) { // oldest first: an offboarding undoes what came before
            if (r.kind() == Kind.OFFBOARD && r.status() == Status.DONE) {
                names.remove(r.iamUserName());
            } else if (r.kind() != Kind.OFFBOARD) { // done, or its person is setting it up (HOLDING)
                names.add(r.iamUserName());
            }
        }
        return List.copyOf(names);
    }

    /** Whether {@code slackUserId} holds the IAM user {@code name} (ignoring case), by the bot's records. */
    boolean holds(String slackUserId, String name) {
        return iamUsersOf(slackUserId).stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    /** Who the IAM user belongs to: our tag on it, else our own records; null when nobody is known. */
    String ownerOf(IamGateway.ExistingUser user) {
        String tagged = user.tags().get(Tags.SLACK_USER);
        if (tagged != null && SLACK_USER_ID.matcher(tagged).matches()) {
            return tagged;
        }
        return store.findByIamUserName(user.userName()).stream()
                .filter(o -> o.kind() == Kind.ONBOARD && o.targetUserId() != null)
                .reduce((a, b) -> b).map(Request::targetUserId).orElse(null);
    }
}
