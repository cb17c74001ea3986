package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;

import java.util.List;
import java.util.Optional;

/** Who each IAM user belongs to ({@link Link}), stored; the bot manages one AWS account. */
public interface Links {

    Optional<Link> byUserId(String iamUserId);

    /** The link of the IAM user of this name, ignoring case. */
    Optional<Link> byName(String iamUserName);

    /** The links of a person, by IAM user name. */
    List<Link> ofPerson(String slackUserId);

    /** Every link, by IAM user name. */
    List<Link> all();

    /** Applies one change on its own (a change caused by a request goes with it: {@link RequestStore#replace(dev.awsonboard.lifecycle.model.Request, dev.awsonboard.lifecycle.model.Request, LinkChange)}). */
    void apply(LinkChange change);
}
