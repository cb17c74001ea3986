package dev.awsonboard.lifecycle.model;

/** A change to the links, written in the same transaction as the request change that causes it. */
public sealed interface LinkChange {

    /** Makes (or replaces) the link of {@code link.iamUserId()}; a stale link of the same name goes. */
    record Put(Link link) implements LinkChange {
    }

    /** The IAM user is gone: its link goes. */
    record Remove(String iamUserId) implements LinkChange {
    }
}
