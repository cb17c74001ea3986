package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.port.Links;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who an IAM user belongs to, and which IAM users a person has: the stored {@link Link}s, keyed by
 * IAM's UserId. The one place every use case asks, so that none acts for someone the IAM user is
 * not theirs. A user the bot meets carrying its {@code aws-onboard:slack-user} tag and no link is
 * adopted: the tag is the bot's own mark (it tags every user it creates).
 */
final class Ownership {
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");

    private final Links links;
    private final IamGateway iam;
    private final IamRetry retry;
    private final Clock clock;
    private final String slackTeamId;

    Ownership(Links links, IamGateway iam, IamRetry retry, Clock clock, String slackTeamId) {
        this.links = links;
        this.iam = iam;
        this.retry = retry;
        this.clock = clock;
        this.slackTeamId = slackTeamId == null ? "" : slackTeamId;
    }

    /** The bot's own Slack workspace, which every link it makes names. */
    String slackTeamId() {
        return slackTeamId;
    }

    /** The IAM users linked to a person, by name. */
    List<String> iamUsersOf(String slackUserId) {
        return links.ofPerson(slackUserId).stream().map(Link::iamUserName).toList();
    }

    /** Whether {@code slackUserId} holds the IAM user {@code name} (ignoring case). */
    boolean holds(String slackUserId, String name) {
        return links.byName(name).filter(l -> l.slackUserId().equals(slackUserId)).isPresent();
    }

    /** The link of this IAM user as IAM describes it now: by its UserId, else adopted from our tag. */
    Optional<Link> linkOf(IamGateway.ExistingUser user) {
        Optional<Link> linked = links.byUserId(user.userId());
        if (linked.isPresent()) {
            return linked;
        }
        String tagged = user.tags().get(Tags.SLACK_USER);
        if (tagged == null || !SLACK_USER_ID.matcher(tagged).matches()) {
            return Optional.empty();
        }
        return Optional.of(put(user, tagged, Link.How.ADOPTED, AuditLog.BOT, clock.instant()));
    }

    /** Links the user to {@code person} now, whatever it was linked to before. */
    Link put(IamGateway.ExistingUser user, String person, Link.How how, String by, java.time.Instant at) {
        Link link = new Link(Request.accountIdOf(user.arn()), user.userId(), user.userName(), slackTeamId, person, how, by, at);
        links.apply(new LinkChange.Put(link));
        return link;
    }

    /** Who the IAM user belongs to; null when nobody is known. */
    String ownerOf(IamGateway.ExistingUser user) {
        return linkOf(user).map(Link::slackUserId).orElse(null);
    }

    /** The link of a user this bot just made for the request's person, written with the request. */
    LinkChange onboarded(Request r, String userName, String userId, String arn) {
        return new LinkChange.Put(new Link(Request.accountIdOf(arn), userId, userName, slackTeamId, r.targetUserId(),
                Link.How.ONBOARDED, r.approverUserId() == null ? AuditLog.BOT : r.approverUserId(), clock.instant()));
    }

    /** The link of a user confirmed gone, by the UserId the request recorded (else by the name's current link). */
    Optional<LinkChange> gone(Request r) {
        String id = r.iamUserId() != null ? r.iamUserId() : links.byName(r.iamUserName()).map(Link::iamUserId).orElse(null);
        return Optional.ofNullable(id).map(LinkChange.Remove::new);
    }

    /**
     * Whether the IAM user of the request's name is still the one the request recorded: names are
     * reused (offboarded, then made again for someone else), UserIds never. A request recorded before
     * UserIds were has none to compare and passes. Reads IAM; throws {@code IamException}.
     */
    boolean stillTheUserOf(Request r) {
        if (r.iamUserId() == null) {
            return true;
        }
        return retry.call(IamRetry.Mode.TRANSIENT, () -> iam.userIdOf(r.iamUserName()), e -> { })
                .map(r.iamUserId()::equals).orElse(false);
    }

    /** Applies a change made outside a request's write (an undo that removed the user). */
    void apply(LinkChange change) {
        links.apply(change);
    }
}
