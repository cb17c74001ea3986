package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.RequestStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link Links} store does, and a request's compare-and-set that changes a link with it. */
abstract class LinksContract {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    /** The links of the running test; every call within one test reaches the same ones. */
    protected abstract Links links();

    /** The request store beside those links (on a database: the same database). */
    protected abstract RequestStore requests();

    static Link link(String userId, String name, String person) {
        return new Link("123456789012", userId, name, "T0TEAM", person, Link.How.ONBOARDED, "UAPPROVER", T0);
    }

    @Test
    void aLinkIsFoundByUserIdByNameIgnoringCaseAndByItsPerson() {
        Links links = links();
        links.apply(new LinkChange.Put(link("AIDAALICE", "Alice.Smith+ops@corp", "UALICE")));
        links.apply(new LinkChange.Put(link("AIDAALICE2", "alice-admin", "UALICE")));
        links.apply(new LinkChange.Put(link("AIDABOB", "bob", "UBOB")));

        Links again = links();
        assertThat(again.byUserId("AIDAALICE")).contains(link("AIDAALICE", "Alice.Smith+ops@corp", "UALICE"));
        assertThat(again.byName("ALICE.SMITH+OPS@CORP")).map(Link::iamUserId).contains("AIDAALICE");
        assertThat(again.ofPerson("UALICE")).extracting(Link::iamUserName).containsExactly("alice-admin", "Alice.Smith+ops@corp");
        assertThat(again.all()).extracting(Link::iamUserId).containsExactly("AIDAALICE2", "AIDAALICE", "AIDABOB");
        assertThat(again.byUserId("AIDANOBODY")).isEmpty();
        assertThat(again.byName("nobody")).isEmpty();
    }

    @Test
    void aLinkPutAgainForItsUserIdIsReplacedAsARelinkIs() {
        Links links = links();
        links.apply(new LinkChange.Put(link("AIDAALICE", "sampleUser", "UALICE")));
        Link relinked = new Link("123456789012", "AIDAALICE", "sampleUser", "T0TEAM", "UBOB", Link.How.LINKED, "UAPPROVER", T0.plusSeconds(60));
        links.apply(new LinkChange.Put(relinked));

        assertThat(links().byName("sampleuser")).contains(relinked);
        assertThat(links().ofPerson("UALICE")).isEmpty();
    }

    @Test
    void aNameMadeAgainForAnotherUserReplacesItsStaleLink() {
        Links links = links();
        links.apply(new LinkChange.Put(link("AIDAOLD", "sampleUser", "UALICE")));
        links.apply(new LinkChange.Put(link("AIDANEW", "SAMPLEUSER", "UBOB")));

        assertThat(links().byUserId("AIDAOLD")).isEmpty();
        assertThat(links().byName("sampleUser")).map(Link::slackUserId).contains("UBOB");
        assertThat(links().all()).hasSize(1);
    }

    @Test
    void aRemovedLinkIsGoneAndRemovingAnUnknownOneIsNoError() {
        Links links = links();
        links.apply(new LinkChange.Put(link("AIDAALICE", "sampleUser", "UALICE")));
        links.apply(new LinkChange.Remove("AIDAALICE"));
        links.apply(new LinkChange.Remove("AIDANOBODY"));

        assertThat(links().byName("sampleUser")).isEmpty();
        assertThat(links().all()).isEmpty();
    }

    @Test
    void aRequestsCompareAndSetWritesItsLinkWithItOrNeither() {
        RequestStore store = requests();
        Request r = Request.newRequest("r-1", "sampleUser", "UALICE", "UREQUESTER", List.of(), "", T0);
        store.insert(r);
        Request withUser = r.withUser("sampleUser", "arn:aws:iam::123456789012:user/sampleUser", "AIDAALICE", "https://x", T0);

        // A lost compare-and-set changes no link either.
        Request stale = r.withVersion(7);
        assertThat(store.replace(stale, withUser, new LinkChange.Put(link("AIDAALICE", "sampleUser", "UALICE")))).isEmpty();
        assertThat(links().byUserId("AIDAALICE")).isEmpty();

        Request stored = store.replace(r, withUser, new LinkChange.Put(link("AIDAALICE", "sampleUser", "UALICE"))).orElseThrow();
        assertThat(stored.iamUserId()).isEqualTo("AIDAALICE");
        assertThat(requests().find("r-1").orElseThrow().iamUserId()).isEqualTo("AIDAALICE");
        assertThat(links().byUserId("AIDAALICE")).isPresent();

        assertThat(store.replace(stored, stored.withStep(dev.awsonboard.lifecycle.model.Step.USER_DELETED, T0),
                new LinkChange.Remove("AIDAALICE"))).isPresent();
        assertThat(links().byUserId("AIDAALICE")).isEmpty();
    }
}
