package dev.awsonboard.store;

import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Outbox;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link RequestStore} contract: what every store does, whatever holds the requests. Run on
 * the JDBC store by {@link JdbcRequestStoreContract} (SQLite and PostgreSQL) and on the domain
 * tests' in-memory store by {@link InMemoryRequestStoreTest}.
 */
public abstract class RequestStoreContract {
    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

    /**
     * A store for the running test. Every call within one test reaches the same requests (on a
     * database: another pool on it, as a second replica would).
     */
    protected abstract RequestStore newStore();

    /** Where this store records what its changes owe ({@link RequestStore#replace(Request, Request, List)}). */
    protected abstract Outbox outbox();

    /** How this store says a write broke a unique key (a request id, or one pending request per IAM user). */
    protected void assertKeyClash(Throwable failure) {
    }

    protected static Request fullRequest(String id) {
        return new Request(id, Kind.OFFBOARD, Status.AWAITING_MFA, Step.SETUP_SENT, "Alice.Smith+ops@corp",
                "U0TARGET", "U0REQUESTER", "U0APPROVER", List.of("developers", "read-only"),
                "new joiner, \"platform\" team – ünïcode ok",
                List.of(new MessageRef("C0APPROVALS", "1712345678.000100"), new MessageRef("D0DM", "1712345679.000200")),
                "D0TARGETDM", "F0QRFILE", "arn:aws:iam::123456789012:mfa/Alice.Smith+ops@corp",
                "arn:aws:iam::123456789012:user/onboarded/Alice.Smith+ops@corp", "AIDA0123456789EXAMPLE", "U0FORMER",
                "https://123456789012.signin.aws.amazon.com/console",
                Notice.of(Reason.IAM_FAILED, "action", "CreateUser", "code", "Ünïcode \"quoted\""), true,
                List.of(new Holding(Holding.Type.ACCESS_KEY, "AKIAEXAMPLE"), new Holding(Holding.Type.MANAGED_POLICY, "arn:aws:iam::aws:policy/ReadOnlyAccess")),
                List.of(new Holding(Holding.Type.GROUP, "developers")),
                new MessageRef("D0TARGETDM", "1712345679.000300"),
                List.of(new Approval("U0APPROVER", T0.plusSeconds(60)), new Approval("U0SECOND", T0.plusSeconds(61))),
                List.of(new ApprovalNeed("admins", 2, List.of("S0ADMINS", "U0CTO"), List.of("U0APPROVER", "U0SECOND")),
                        new ApprovalNeed("default", 1, List.of("U0APPROVER"), List.of("U0APPROVER"))),
                new GrantTerm(java.time.Duration.ofHours(8), T0.plusSeconds(3600)),
                T0, T0.plusNanos(1), 0);
    }

    protected static Request newRequest(String id, String iamUserName) {
        return Request.newRequest(id, iamUserName, "U0TARGET", "U0REQUESTER", List.of("developers"),
                "joining", T0);
    }

    @Test
    void insertedRequestReadsBackWithEveryField() {
        RequestStore store = newStore();
        Request request = fullRequest("r-full");

        store.insert(request);

        assertThat(store.find("r-full")).contains(request);
    }

    @Test
    void newRequestWithUnsetFieldsReadsBackWithNullsAndEmptyLists() {
        RequestStore store = newStore();
        Request request = Request.newRequest("r-min", "bob", "U0B", "U0R", null, null, T0);

        store.insert(request);

        Request stored = store.find("r-min").orElseThrow();
        assertThat(stored).isEqualTo(request);
        assertThat(stored.groups()).isEmpty();
        assertThat(stored.approvalMessages()).isEmpty();
        assertThat(stored.approverUserId()).isNull();
        assertThat(stored.ending()).isNull();
        assertThat(stored.plan()).isEmpty();
        assertThat(stored.kind()).isEqualTo(Kind.ONBOARD);
    }

    @Test
    void aSecondPendingRequestForTheSameIamUserIsRefusedByTheStoreIgnoringCase() {
        RequestStore store = newStore();
        store.insert(newRequest("r-1", "Alice"));
        assertThatThrownBy(() -> store.insert(newRequest("r-2", "ALICE"))).isInstanceOf(RequestStore.PendingRequestExists.class);
        assertThat(store.find("r-2")).isEmpty();
        // Once the first is no longer pending (decided), a new one may come.
        Request first = store.find("r-1").orElseThrow();
        store.replace(first, first.withStatus(Status.DENIED, T0)).orElseThrow();
        store.insert(newRequest("r-3", "alice"));
        assertThat(store.find("r-3")).isPresent();
    }

    @Test
    void concurrentSubmissionsForOneIamUserLetExactlyOneIn() throws Exception {
        RequestStore store = newStore();
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String id = "r-" + i;
            String name = i % 2 == 0 ? "bob" : "BOB";
            results.add(pool.submit(() -> {
                go.await();
                try {
                    store.insert(newRequest(id, name));
                    return true;
                } catch (RequestStore.PendingRequestExists e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int stored = 0;
        for (Future<Boolean> f : results) {
            stored += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(stored).isEqualTo(1);
        assertThat(store.findOpenByIamUserName("bob")).hasSize(1);
    }

    @Test
    void findOfUnknownIdIsEmpty() {
        assertThat(newStore().find("no-such-id")).isEmpty();
    }

    @Test
    void replaceWithCurrentVersionStoresNextAndBumpsVersion() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);
        Request next = original.withStatus(Status.APPROVED, T0.plusSeconds(5)).withApprover("U0APPROVER", T0.plusSeconds(5));

        Optional<Request> stored = store.replace(original, next);

        assertThat(stored).contains(next.withVersion(1));
        assertThat(store.find("r-1")).contains(next.withVersion(1));
    }

    @Test
    void replaceWithStaleVersionReturnsEmptyAndChangesNothing() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);
        Request approved = store.replace(original, original.withStatus(Status.APPROVED, T0.plusSeconds(1))).orElseThrow();

        // A second click still holding version 0 must not overwrite the approval.
        Optional<Request> stale = store.replace(original, original.withStatus(Status.DENIED, T0.plusSeconds(2)));

        assertThat(stale).isEmpty();
        assertThat(store.find("r-1")).contains(approved);
    }

    @Test
    void aReplaceThatOwesEffectsRecordsThemWithItsChangeAndALostOneRecordsNone() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);
        Request expired = original.withEnding(Status.EXPIRED, Notice.of(Reason.NOT_APPROVED_IN_TIME, "duration", "P7D"), T0.plusSeconds(1));
        List<Outbox.Owed> owed = List.of(Outbox.Owed.of(Outbox.Effect.TELL_APPROVERS, Status.EXPIRED),
                Outbox.Owed.of(Outbox.Effect.TELL_REQUESTER, Status.EXPIRED));

        Request stored = store.replace(original, expired, owed).orElseThrow();
        Optional<Request> stale = store.replace(original, original.withStatus(Status.APPROVED, T0.plusSeconds(2)),
                List.of(Outbox.Owed.of(Outbox.Effect.UNDO)));

        assertThat(stored).isEqualTo(expired.withVersion(1));
        assertThat(stale).isEmpty();
        assertThat(outbox().owedBy("r-1")).extracting(Outbox.Entry::effect, Outbox.Entry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outbox.Effect.TELL_APPROVERS, "EXPIRED"),
                        org.assertj.core.groups.Tuple.tuple(Outbox.Effect.TELL_REQUESTER, "EXPIRED"));
        assertThat(outbox().owedBy("r-1")).allSatisfy(e -> assertThat(e.recordedAt()).isEqualTo(T0.plusSeconds(1)));
    }

    @Test
    void replaceOfUnknownIdReturnsEmpty() {
        RequestStore store = newStore();
        Request ghost = newRequest("ghost", "alice");

        assertThat(store.replace(ghost, ghost.withStatus(Status.APPROVED, T0))).isEmpty();
        assertThat(store.find("ghost")).isEmpty();
    }

    @Test
    void replaceThatChangesTheIdIsRejected() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);

        assertThatThrownBy(() -> store.replace(original, newRequest("r-2", "alice")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find("r-1")).contains(original);
    }

    @Test
    void fiftyConcurrentReplacesFromTheSameVersionHaveExactlyOneWinner() throws Exception {
        RequestStore store = newStore();
        Request original = newRequest("r-race", "alice");
        store.insert(original);
        int threads = 50;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Optional<Request>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String approver = "U" + i;
                Callable<Optional<Request>> task = () -> {
                    ready.countDown();
                    go.await();
                    return store.replace(original, original.withStatus(Status.APPROVED, T0).withApprover(approver, T0));
                };
                results.add(pool.submit(task));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Request> winners = new ArrayList<>();
            for (Future<Optional<Request>> f : results) {
                f.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            System.out.printf("%d concurrent compare-and-set attempts from version 0: %d won, %d lost%n",
                    threads, winners.size(), threads - winners.size());

            assertThat(winners).hasSize(1);
            assertThat(store.find("r-race")).contains(winners.get(0));
            assertThat(winners.get(0).version()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findByStatusReturnsOnlyRequestsInTheGivenStatuses() {
        RequestStore store = newStore();
        Request requested = newRequest("r-requested", "a");
        Request approved = newRequest("r-approved", "b").withStatus(Status.APPROVED, T0);
        Request provisioning = newRequest("r-provisioning", "c").withStatus(Status.PROVISIONING, T0);
        Request active = newRequest("r-active", "d").withStatus(Status.DONE, T0);
        List.of(requested, approved, provisioning, active).forEach(store::insert);

        assertThat(store.findByStatus(Status.RESUMABLE)).containsExactlyInAnyOrder(approved, provisioning);
        assertThat(store.findByStatus(Set.of(Status.REQUESTED))).containsExactly(requested);
        assertThat(store.findByStatus(Set.of(Status.EXPIRED))).isEmpty();
        assertThat(store.findByStatus(Set.of())).isEmpty();
    }

    @Test
    void requestsMadeAtTheSameInstantComeInTheOrderOfTheirIds() {
        RequestStore store = newStore();
        List.of("r-c", "r-a", "r-b").forEach(id -> store.insert(Request.newRequest(id, "user-" + id, "U0TARGET", "U0TARGET",
                List.of(), "", T0)));

        assertThat(store.findByStatus(Set.of(Status.REQUESTED))).extracting(Request::id).containsExactly("r-a", "r-b", "r-c");
        assertThat(store.findByTarget("U0TARGET")).extracting(Request::id).containsExactly("r-a", "r-b", "r-c");
        assertThat(store.findOpenConcerning("U0TARGET")).extracting(Request::id).containsExactly("r-a", "r-b", "r-c");
        assertThat(store.findUpdatedSince(T0)).extracting(Request::id).containsExactly("r-a", "r-b", "r-c");
    }

    @Test
    void findByStatusSeesTheStatusAfterReplace() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);
        Request approved = store.replace(original, original.withStatus(Status.APPROVED, T0)).orElseThrow();

        assertThat(store.findByStatus(Set.of(Status.REQUESTED))).isEmpty();
        assertThat(store.findByStatus(Set.of(Status.APPROVED))).containsExactly(approved);
    }

    @Test
    void findOpenByIamUserNameIgnoresCaseAndTerminalRequests() {
        RequestStore store = newStore();
        Request open = newRequest("r-open", "Alice.Smith");
        Request awaiting = newRequest("r-awaiting", "ALICE.SMITH").withStatus(Status.AWAITING_MFA, T0);
        store.insert(open);
        store.insert(awaiting);
        for (Status terminal : Status.TERMINAL) {
            store.insert(newRequest("r-" + terminal, "alice.smith").withStatus(terminal, T0));
        }
        store.insert(newRequest("r-other", "alice.smithers"));

        assertThat(store.findOpenByIamUserName("aLiCe.SmItH")).containsExactlyInAnyOrder(open, awaiting);
        assertThat(store.findOpenByIamUserName("bob")).isEmpty();
    }

    @Test
    void findOpenConcerningReturnsTheOpenRequestsAPersonAskedForOrIsThePersonOf() {
        RequestStore store = newStore();
        Request asTarget = Request.newRequest("r-target", "alice", "U0ALICE", "U0BOB", List.of(), "", T0);
        Request asRequester = Request.newRequest("r-requester", "carol", "U0CAROL", "U0ALICE", List.of(), "", T0.plusSeconds(1));
        Request finished = Request.newRequest("r-done", "alice2", "U0ALICE", "U0BOB", List.of(), "", T0).withStatus(Status.DONE, T0);
        Request someoneElse = Request.newRequest("r-other", "dave", "U0DAVE", "U0BOB", List.of(), "", T0);
        List.of(asTarget, asRequester, finished, someoneElse).forEach(store::insert);

        assertThat(store.findOpenConcerning("U0ALICE")).containsExactly(asTarget, asRequester);
        assertThat(store.findOpenConcerning("U0BOB")).containsExactlyInAnyOrder(asTarget, someoneElse);
        assertThat(store.findOpenConcerning("U0NOBODY")).isEmpty();
    }

    @Test
    void requestDeniedThroughReplaceIsNoLongerOpen() {
        RequestStore store = newStore();
        Request original = newRequest("r-1", "alice");
        store.insert(original);
        Request denied = store.replace(original, original.withStatus(Status.DENIED, T0)).orElseThrow();

        assertThat(denied.status()).isEqualTo(Status.DENIED);
        assertThat(store.findOpenByIamUserName("alice")).isEmpty();
    }

    @Test
    void insertingAnExistingIdFailsAndKeepsTheStoredRequest() {
        RequestStore store = newStore();
        Request first = newRequest("r-dup", "alice");
        store.insert(first);

        assertThatThrownBy(() -> store.insert(newRequest("r-dup", "mallory")))
                .isNotInstanceOf(RequestStore.PendingRequestExists.class)
                .satisfies(this::assertKeyClash)
                // Says what failed, never the values it was given.
                .satisfies(e -> assertThat(e.getMessage()).contains("insert").doesNotContain("r-dup").doesNotContain("mallory"));
        assertThat(store.find("r-dup")).contains(first);
    }

    @Test
    void aReplaceIntoAPendingStatusIsRefusedWhileAnotherRequestForTheUserIsPending() {
        RequestStore store = newStore();
        Request waiting = newRequest("r-setup", "heidi").withStatus(Status.AWAITING_MFA, T0);
        store.insert(waiting);
        store.insert(newRequest("r-pending", "HEIDI"));

        // Not a lost race (that is an empty answer) but the one-pending-request rule of insert, met by the write itself.
        assertThatThrownBy(() -> store.replace(waiting, waiting.withStatus(Status.PROVISIONING, T0.plusSeconds(1))))
                .satisfies(this::assertKeyClash);
        assertThat(store.find("r-setup")).contains(waiting);
    }

    @Test
    void aRequestInsertedWithItsFirstAuditEntryHasBoth() {
        RequestStore store = newStore();
        Request request = newRequest("r-audited", "carol");
        AuditEntry first = new AuditEntry("r-audited", T0, "U0REQUESTER", "request", "kind=ONBOARD iamUser=carol", "ok");

        store.insert(request, first);
        store.audit(new AuditEntry("r-audited", T0.plusSeconds(1), "U0APP", "approve", null, "ok"));

        assertThat(store.find("r-audited")).contains(request);
        assertThat(store.auditTrail("r-audited")).extracting(AuditEntry::action).containsExactly("request", "approve");
    }

    @Test
    void aRefusedInsertWithAnAuditEntryStoresNeither() {
        RequestStore store = newStore();
        store.insert(newRequest("r-open", "dave"));

        assertThatThrownBy(() -> store.insert(newRequest("r-second", "Dave"),
                new AuditEntry("r-second", T0, "U0REQUESTER", "request", "", "ok")))
                .isInstanceOf(RequestStore.PendingRequestExists.class);

        assertThat(store.find("r-second")).isEmpty();
        assertThat(store.auditTrail("r-second")).isEmpty();
    }

    @Test
    void anInsertUnlessOpenIsRefusedByARequestInABlockingStatusWhateverTheCaseAndStoresNeither() {
        RequestStore store = newStore();
        store.insert(newRequest("r-setup", "Erin").withStatus(Status.AWAITING_MFA, T0));

        boolean stored = store.insertUnlessOpen(newRequest("r-second", "ERIN"),
                new AuditEntry("r-second", T0, "U0REQUESTER", "request", "", "ok"), EnumSet.of(Status.REQUESTED, Status.AWAITING_MFA));

        assertThat(stored).isFalse();
        assertThat(store.find("r-second")).isEmpty();
        assertThat(store.auditTrail("r-second")).isEmpty();
    }

    @Test
    void anInsertUnlessOpenStoresBothWhenTheOpenRequestsAreNotBlockingOnesAndEndedOnesNeverBlock() {
        RequestStore store = newStore();
        store.insert(newRequest("r-setup", "frank").withStatus(Status.AWAITING_MFA, T0));
        for (Status terminal : Status.TERMINAL) {
            store.insert(newRequest("r-" + terminal, "Frank").withStatus(terminal, T0));
        }
        store.insert(newRequest("r-other", "frankie")); // another user's pending request
        Request offboard = newRequest("r-offboard", "FRANK");
        AuditEntry first = new AuditEntry("r-offboard", T0, "U0REQUESTER", "request", "kind=OFFBOARD", "ok");

        boolean stored = store.insertUnlessOpen(offboard, first, EnumSet.copyOf(Status.PENDING));

        assertThat(stored).isTrue();
        assertThat(store.find("r-offboard")).contains(offboard);
        assertThat(store.auditTrail("r-offboard")).containsExactly(first);
    }

    @Test
    void anInsertUnlessOpenStillMeetsTheOnePendingRequestPerUserRule() {
        RequestStore store = newStore();
        store.insert(newRequest("r-open", "grace"));

        // Nothing named as blocking: the store's own rule (what a concurrent submission meets) still refuses it.
        assertThatThrownBy(() -> store.insertUnlessOpen(newRequest("r-second", "Grace"),
                new AuditEntry("r-second", T0, "U0REQUESTER", "request", "", "ok"), EnumSet.noneOf(Status.class)))
                .isInstanceOf(RequestStore.PendingRequestExists.class);
        assertThat(store.find("r-second")).isEmpty();
    }

    @Test
    void auditTrailReturnsEntriesInInsertionOrder() {
        RequestStore store = newStore();
        // Timestamps run backwards and entries of two requests interleave, so only insertion
        // order (not time, not table order) can give this result.
        AuditEntry a1 = new AuditEntry("r-a", T0.plusSeconds(30), "U0REQ", "request", "groups=developers", "ok");
        AuditEntry b1 = new AuditEntry("r-b", T0.plusSeconds(20), "U0REQ", "request", "", "ok");
        AuditEntry a2 = new AuditEntry("r-a", T0.plusSeconds(10), "U0APP", "approve", null, "ok");
        AuditEntry a3 = new AuditEntry("r-a", T0, "bot", "iam:CreateUser", "path=/onboarded/", "EntityAlreadyExists");
        for (AuditEntry e : List.of(a1, b1, a2, a3)) {
            store.audit(e);
        }

        assertThat(store.auditTrail("r-a")).containsExactly(a1, a2, a3);
        assertThat(store.auditTrail("r-b")).containsExactly(b1);
        assertThat(store.auditTrail("r-none")).isEmpty();
    }

    @Test
    void concurrentAuditAppendsAreAllKept() throws Exception {
        RequestStore store = newStore();
        int threads = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                AuditEntry entry = new AuditEntry("r-busy", T0, "bot", "step-" + i, null, "ok");
                done.add(pool.submit(() -> {
                    go.await();
                    store.audit(entry);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.auditTrail("r-busy")).hasSize(threads)
                .extracting(AuditEntry::action).doesNotHaveDuplicates();
    }

    @Test
    void recentlyChangedRequestsAreThoseChangedSinceTheGivenTimeOldestChangeFirst() {
        RequestStore store = newStore();
        Request old = newRequest("r-old", "old");
        Request recent = newRequest("r-recent", "recent");
        Request edge = newRequest("r-edge", "edge");
        store.insert(old);
        store.insert(recent);
        store.insert(edge);
        store.replace(recent, recent.withStatus(Status.DENIED, T0.plusSeconds(7200))).orElseThrow();
        store.replace(edge, edge.withStatus(Status.DENIED, T0.plusSeconds(3600))).orElseThrow();

        assertThat(store.findUpdatedSince(T0.plusSeconds(3600))).extracting(Request::id).containsExactly("r-edge", "r-recent");
        assertThat(store.findUpdatedSince(T0.plusSeconds(7201))).isEmpty();
    }

    @Test
    void aPersonsOpenRequestsCanBeReadAScreenfulAtATimeAndCounted() {
        RequestStore store = newStore();
        for (int i = 0; i < 5; i++) {
            store.insert(Request.newRequest("r-" + i, "user" + i, i % 2 == 0 ? "U0ALICE" : "U0BOB", i % 2 == 0 ? "U0BOB" : "U0ALICE",
                    List.of(), "joining", T0.plusSeconds(i)));
        }
        store.insert(Request.newRequest("r-other", "other", "U0CAROL", "U0DAVE", List.of(), "joining", T0));
        Request done = store.find("r-1").orElseThrow();
        store.replace(done, done.withStatus(Status.DONE, T0.plusSeconds(10))).orElseThrow();

        assertThat(store.findOpenConcerning("U0ALICE", 3)).extracting(Request::id).containsExactly("r-0", "r-2", "r-3");
        assertThat(store.findOpenConcerning("U0ALICE", 10)).extracting(Request::id).containsExactly("r-0", "r-2", "r-3", "r-4");
        assertThat(store.countOpenConcerning("U0ALICE")).isEqualTo(4);
        assertThat(store.countOpenConcerning("U0NOBODY")).isZero();
    }

    @Test
    void requestsAboutAPersonCanBeReadForSomeStatusesOnly() {
        RequestStore store = newStore();
        Request waiting = newRequest("r-waiting", "waiting");
        Request done = newRequest("r-done", "done");
        store.insert(waiting);
        store.insert(done);
        Request stored = store.replace(done, done.withStatus(Status.DONE, T0)).orElseThrow();

        assertThat(store.findByTarget("U0TARGET", Set.of(Status.DONE, Status.AWAITING_MFA))).containsExactly(stored);
        assertThat(store.findByTarget("U0TARGET", Set.of(Status.EXPIRED))).isEmpty();
        assertThat(store.findByTarget("U0OTHER", Set.of(Status.DONE))).isEmpty();
    }

    @Test
    void theOldestRequestsInAStatusComeFirstAndNoMoreThanAsked() {
        RequestStore store = newStore();
        for (int i = 0; i < 5; i++) {
            store.insert(Request.newRequest("r-" + i, "user" + i, "U0TARGET", "U0REQUESTER", List.of(), "joining",
                    T0.plusSeconds(60 - i * 10L)));
        }
        Request decided = store.find("r-0").orElseThrow();
        store.replace(decided, decided.withStatus(Status.DENIED, T0.plusSeconds(100))).orElseThrow();

        assertThat(store.findOldest(Status.REQUESTED, 3)).extracting(Request::id).containsExactly("r-4", "r-3", "r-2");
        assertThat(store.findOldest(Status.REQUESTED, 10)).extracting(Request::id).containsExactly("r-4", "r-3", "r-2", "r-1");
        assertThat(store.findOldest(Status.DONE, 3)).isEmpty();
    }

    @Test
    void theLatestDecisionsAreTheDecidedRequestsChangedSinceLatestFirstAndNoMoreThanAsked() {
        RequestStore store = newStore();
        for (int i = 0; i < 5; i++) {
            Request r = newRequest("r-" + i, "user" + i);
            store.insert(r);
            if (i > 0) { // r-0 changes without an approver: not a decision
                r = store.replace(r, r.withApprover("U0APPROVER", T0.plusSeconds(i * 100L))).orElseThrow();
            }
            store.replace(r, r.withStatus(i == 4 ? Status.DENIED : Status.APPROVED, T0.plusSeconds(i * 100L))).orElseThrow();
        }

        assertThat(store.findLatestDecided(T0.plusSeconds(150), 2)).extracting(Request::id).containsExactly("r-4", "r-3");
        assertThat(store.findLatestDecided(T0, 10)).extracting(Request::id).containsExactly("r-4", "r-3", "r-2", "r-1");
        assertThat(store.findLatestDecided(T0.plusSeconds(401), 10)).isEmpty();
    }

    @Test
    void countsOfRecentlyChangedRequestsCoverEveryStatusAndOnlyThoseChangedSince() {
        RequestStore store = newStore();
        Request done = newRequest("r-done", "done");
        Request failed = newRequest("r-failed", "failed");
        Request oldDone = newRequest("r-old", "old");
        List.of(done, failed, oldDone).forEach(store::insert);
        store.replace(done, done.withStatus(Status.DONE, T0.plusSeconds(3600))).orElseThrow();
        store.replace(failed, failed.withStatus(Status.FAILED, T0.plusSeconds(7200))).orElseThrow();
        store.replace(oldDone, oldDone.withStatus(Status.DONE, T0.plusSeconds(60))).orElseThrow();

        Map<Status, Long> counts = store.countUpdatedSince(T0.plusSeconds(3600));

        assertThat(counts).containsOnlyKeys(Status.values());
        assertThat(counts.get(Status.DONE)).isEqualTo(1L);
        assertThat(counts.get(Status.FAILED)).isEqualTo(1L);
        assertThat(counts.get(Status.REQUESTED)).isZero();
    }


    @Test
    void theCountsPerStatusFollowEveryStoredChangeAndNoRefusedOne() {
        RequestStore store = newStore();
        assertThat(store.countByStatus()).containsOnlyKeys(Status.values()).allSatisfy((status, n) -> assertThat(n).isZero());
        Request a = newRequest("r-a", "alice");
        Request b = newRequest("r-b", "bob");
        store.insert(a);
        store.insert(b, new AuditEntry("r-b", T0, "U0REQUESTER", "request", "", "ok"));
        assertThat(store.insertUnlessOpen(newRequest("r-blocked", "ALICE"), new AuditEntry("r-blocked", T0, "U0REQUESTER", "request", "",
                "ok"), EnumSet.of(Status.REQUESTED))).isFalse();
        assertThatThrownBy(() -> store.insert(newRequest("r-pending", "bob"))).isInstanceOf(RequestStore.PendingRequestExists.class);
        assertThatThrownBy(() -> store.insert(newRequest("r-a", "carol"))).isNotInstanceOf(RequestStore.PendingRequestExists.class);
        Request approved = store.replace(a, a.withStatus(Status.APPROVED, T0.plusSeconds(1))).orElseThrow();
        assertThat(store.replace(a, a.withStatus(Status.DENIED, T0.plusSeconds(2)))).as("stale").isEmpty();
        Request same = store.replace(approved, approved.withStep(Step.USER_CREATED, T0.plusSeconds(3))).orElseThrow();
        store.replace(same, same.withStatus(Status.DONE, T0.plusSeconds(4))).orElseThrow();
        store.insert(newRequest("r-c", "carol").withStatus(Status.AWAITING_MFA, T0));

        Map<Status, Long> counts = store.countByStatus();

        assertThat(counts).containsOnlyKeys(Status.values());
        assertThat(counts).containsEntry(Status.DONE, 1L).containsEntry(Status.REQUESTED, 1L).containsEntry(Status.AWAITING_MFA, 1L)
                .containsEntry(Status.APPROVED, 0L).containsEntry(Status.DENIED, 0L);
        for (Status status : Status.values()) {
            assertThat(counts.get(status)).as(status.name()).isEqualTo(store.findByStatus(EnumSet.of(status)).size());
        }
    }

    /**
     * Whatever instant "since" is (a whole hour, within one, a request's own change), the counts of what
     * changed since are those of the requests read one by one; also after a request's change moved it to
     * a later hour and another status.
     */
    @Test
    void countsOfRecentlyChangedRequestsAreExactFromAnyInstantAcrossHours() {
        RequestStore store = newStore();
        Instant hour = T0.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<Instant> changes = List.of(hour, hour.plusSeconds(1), hour.plusSeconds(1799), hour.plusSeconds(3599).plusNanos(999_999_999),
                hour.plusSeconds(3600), hour.plusSeconds(3 * 3600 + 7), hour.plus(java.time.Duration.ofDays(2)));
        List<Status> statuses = List.of(Status.DONE, Status.FAILED, Status.DONE, Status.EXPIRED, Status.DONE, Status.FAILED, Status.DENIED);
        for (int i = 0; i < changes.size(); i++) {
            store.insert(newRequest("r-" + i, "user" + i).withStatus(statuses.get(i), changes.get(i)));
        }
        Request moved = store.find("r-0").orElseThrow();
        store.replace(moved, moved.withStatus(Status.FAILED, hour.plusSeconds(2 * 3600 + 5))).orElseThrow();

        List<Instant> sinces = new ArrayList<>(changes);
        for (long s = -3600; s <= 3 * 86_400; s += 900) {
            sinces.add(hour.plusSeconds(s));
        }
        sinces.add(hour.plusSeconds(1).plusNanos(1));
        for (Instant since : sinces) {
            Map<Status, Long> expected = new java.util.EnumMap<>(Status.class);
            for (Status status : Status.values()) {
                expected.put(status, 0L);
            }
            store.findUpdatedSince(since).forEach(r -> expected.merge(r.status(), 1L, Long::sum));

            assertThat(store.countUpdatedSince(since)).as("since " + since).isEqualTo(expected);
        }
        assertThat(store.countUpdatedSince(hour).get(Status.FAILED)).isEqualTo(3L);
        assertThat(store.countUpdatedSince(hour.plusSeconds(3600)).get(Status.DONE)).isEqualTo(1L);
    }

    @Test
    void theLatestRequestThatRecordedAnMfaDeviceIsFoundByNameIgnoringCase() {
        RequestStore store = newStore();
        String serial = "arn:aws:iam::123456789012:mfa/Alice";
        store.insert(newRequest("r-first", "Alice").withMfaSerial(serial, T0).withStatus(Status.DONE, T0));
        store.insert(Request.newRequest("r-second", "alice", "U0TARGET", "U0REQUESTER", List.of(), "", T0.plusSeconds(5))
                .withMfaSerial(serial, T0.plusSeconds(5)).withStatus(Status.EXPIRED, T0.plusSeconds(9)));
        store.insert(Request.newRequest("r-later-no-device", "ALICE", "U0TARGET", "U0REQUESTER", List.of(), "", T0.plusSeconds(60))
                .withStatus(Status.DONE, T0.plusSeconds(60)));
        store.insert(newRequest("r-other-name", "alice2").withMfaSerial(serial, T0.plusSeconds(90)));
        store.insert(newRequest("r-same-instant-b", "bob").withMfaSerial("arn:aws:iam::123456789012:mfa/bob", T0).withStatus(Status.DONE, T0));
        store.insert(newRequest("r-same-instant-c", "bob").withMfaSerial("arn:aws:iam::123456789012:mfa/bob", T0).withStatus(Status.DONE, T0));

        assertThat(store.findLatestWithMfaSerial("ALICE", serial)).map(Request::id).contains("r-second");
        assertThat(store.findLatestWithMfaSerial("bob", "arn:aws:iam::123456789012:mfa/bob")).map(Request::id).contains("r-same-instant-c");
        assertThat(store.findLatestWithMfaSerial("alice", "arn:aws:iam::123456789012:mfa/other")).isEmpty();
        assertThat(store.findLatestWithMfaSerial("carol", serial)).isEmpty();
    }
}
