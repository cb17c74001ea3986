package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.ApprovalRules;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.UserGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who approves a request under the approval rules: the rules that cover it, each rule's approvers
 * (people, and the members of Slack user groups, read with {@link UserGroups} and kept for
 * {@link #FRESH}), how far its approvals got, and whom to ask. A click is decided before Slack is
 * answered, so there a user group nobody read yet is waited for at most {@link #CLICK_WAIT}.
 */
public final class Approvers {
    private static final Logger log = LoggerFactory.getLogger(Approvers.class);
    /** A user group's members are read again once this old (Slack allows about 20 reads a minute). */
    static final Duration FRESH = Duration.ofMinutes(5);
    /** How long a click may wait for a user group never read before: its answer must reach Slack within 3 s. */
    static final Duration CLICK_WAIT = Duration.ofMillis(1500);
    /** How often a read nobody waits for is tried again. */
    static final Duration RETRY = Duration.ofMinutes(1);

    /** How long a question about a user group may wait for Slack. */
    enum Wait {
        /** Not at all: members never read count as nobody (a redraw, a role check), and are read in the background. */
        NEVER,
        /** At most {@link #CLICK_WAIT} (a click, before its acknowledgement). */
        BRIEFLY,
        /** As long as Slack takes (after the acknowledgement). */
        UNTIL_KNOWN
    }

    private record Members(Set<String> people, Instant readAt) {
    }

    private final ApprovalRules rules;
    private final AccessPolicy policy;
    private final ProvisioningSettings settings;
    private final UserGroups groups;
    private final Clock clock;
    private final Executor loader;
    private final Map<String, Members> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Members>> loading = new ConcurrentHashMap<>();
    /** When a read nobody waited for was last started, per group. */
    private final Map<String, Instant> attempted = new ConcurrentHashMap<>();

    Approvers(ApprovalRules rules, AccessPolicy policy, ProvisioningSettings settings, UserGroups groups, Clock clock,
              Executor loader) {
        this.rules = rules;
        this.policy = policy;
        this.settings = settings;
        this.groups = groups;
        this.clock = clock;
        this.loader = loader;
    }

    public ApprovalRules rules() {
        return rules;
    }

    /** The rules a request is under: those that cover its kind and the groups it gives, else the default one. */
    List<ApprovalRule> covering(Request r) {
        return rules.covering(r.kind(), r.kind() == Kind.ONBOARD ? settings.groupsFor(r) : r.groups());
    }

    /** Whether {@code actor} is an approver (or a silent one) of a rule the request is under. */
    boolean mayDecide(Request r, String actor, Wait wait) {
        List<ApprovalRule> covering = covering(r);
        if (covering.stream().anyMatch(rule -> rule.approvers().contains(actor) || rule.silent().contains(actor))) {
            return true; // named: no user group needs reading
        }
        for (ApprovalRule rule : covering) {
            if (eligible(rule, wait).contains(actor)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code actor} may approve {@code r} now, as App Home offers it: without waiting for Slack. */
    public boolean mayApproveNow(Request r, String actor) {
        return mayDecide(r, actor, Wait.NEVER) && !r.approvers().contains(actor)
                && (policy.allowSelfApproval() || !actor.equals(r.requesterUserId()) && !actor.equals(r.targetUserId()));
    }

    /** Each rule the request is under, with who of {@code approvals} counts for it. */
    List<ApprovalNeed> needs(Request r, List<Approval> approvals, Wait wait) {
        List<ApprovalNeed> needs = new ArrayList<>();
        for (ApprovalRule rule : covering(r)) {
            // A user group Slack will not name now counts as nobody: fewer approvals count, never more.
            Set<String> eligible = approvals.isEmpty() ? Set.of() : eligibleQuietly(rule, wait);
            needs.add(new ApprovalNeed(rule.name(), rule.approvals(), pinged(rule),
                    approvals.stream().map(Approval::approver).filter(eligible::contains).distinct().toList()));
        }
        return needs;
    }

    static boolean met(List<ApprovalNeed> needs) {
        return needs.stream().allMatch(ApprovalNeed::met);
    }

    /** Where the approvers are asked: the rules' channels, and the people of rules that ask by DM. */
    Notifier.Audience audience(Request r) {
        Set<String> channels = new LinkedHashSet<>();
        Set<String> people = new LinkedHashSet<>();
        for (ApprovalRule rule : covering(r)) {
            if (rule.announce().dm()) {
                Set<String> asked = new LinkedHashSet<>(expand(pinged(rule), Wait.UNTIL_KNOWN));
                asked.removeAll(expand(rule.silent(), Wait.UNTIL_KNOWN));
                people.addAll(asked.stream().sorted().toList());
            } else {
                rule.announce().channel().ifPresent(channels::add);
            }
        }
        return new Notifier.Audience(List.copyOf(channels), List.copyOf(people));
    }

    /**
     * The approvers a reminder names: those of the rules still short of approvals who have not approved, are
     * pinged (not silent), and may approve (not the requester or the person); all of the rules' approvers if
     * that leaves nobody.
     */
    List<String> toRemind(Request r) {
        Set<String> all = new LinkedHashSet<>();
        Set<String> deciders = new LinkedHashSet<>();
        List<ApprovalNeed> needs = r.needs().isEmpty() ? needs(r, r.approvals(), Wait.UNTIL_KNOWN) : r.needs();
        for (ApprovalRule rule : covering(r)) {
            boolean met = needs.stream().anyMatch(n -> n.rule().equals(rule.name()) && n.met());
            Set<String> asked = new LinkedHashSet<>(expandQuietly(pinged(rule), Wait.UNTIL_KNOWN));
            asked.removeAll(expandQuietly(rule.silent(), Wait.UNTIL_KNOWN));
            all.addAll(asked);
            if (!met) {
                asked.stream().filter(a -> !r.approvers().contains(a))
                        .filter(a -> policy.allowSelfApproval() || !a.equals(r.requesterUserId()) && !a.equals(r.targetUserId()))
                        .forEach(deciders::add);
            }
        }
        return (deciders.isEmpty() ? all : deciders).stream().sorted().toList();
    }

    /** An approver in the role's sense (App Home's approvals, asking for anyone): named anywhere, or in a user group read. */
    public boolean isApprover(String userId) {
        if (policy.isApprover(userId)) {
            return true;
        }
        return rules.all().stream().anyMatch(rule -> rule.approvers().contains(userId) || rule.silent().contains(userId)
                || eligible(rule, Wait.NEVER).contains(userId));
    }

    /** Everyone known to approve something now (the people whose App Home shows approvals). */
    public Set<String> everyone() {
        Set<String> all = new LinkedHashSet<>(policy.approvers());
        for (ApprovalRule rule : rules.all()) {
            all.addAll(expand(rule.approvers(), Wait.NEVER));
            all.addAll(expand(rule.silent(), Wait.NEVER));
        }
        return all;
    }

    /** Reads again every user group the rules name that was not read within {@link #FRESH} (the sweep calls it). */
    public void refresh() {
        for (String group : rules.userGroups()) {
            Members known = cache.get(group);
            if (known == null || stale(known)) {
                try {
                    read(group);
                } catch (NotifierException e) {
                    log.warn("user group {}: could not read its members ({}); keeping what was known", group, e.code());
                }
            }
        }
    }

    /** The people a rule's approvers and silent approvers stand for. */
    private Set<String> eligible(ApprovalRule rule, Wait wait) {
        Set<String> all = new LinkedHashSet<>(expand(rule.approvers(), wait));
        all.addAll(expand(rule.silent(), wait));
        return all;
    }

    private Set<String> eligibleQuietly(ApprovalRule rule, Wait wait) {
        Set<String> all = new LinkedHashSet<>(expandQuietly(rule.approvers(), wait));
        all.addAll(expandQuietly(rule.silent(), wait));
        return all;
    }

    /** The approvers a rule pings: the silent ones left out. */
    private static List<String> pinged(ApprovalRule rule) {
        return rule.approvers().stream().filter(a -> !rule.silent().contains(a)).toList();
    }

    /** Each id as people: a user as itself, a user group as its members. */
    private Set<String> expand(Collection<String> ids, Wait wait) {
        Set<String> people = new LinkedHashSet<>();
        for (String id : ids) {
            if (ApprovalRule.isUserGroup(id)) {
                people.addAll(members(id, wait));
            } else {
                people.add(id);
            }
        }
        return people;
    }

    /** Like {@link #expand}, a user group Slack will not tell about counting as nobody (a reminder still goes out). */
    private Set<String> expandQuietly(Collection<String> ids, Wait wait) {
        Set<String> people = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                people.addAll(expand(List.of(id), wait));
            } catch (NotifierException e) {
                log.warn("user group {}: could not read its members ({})", id, e.code());
            }
        }
        return people;
    }

    private Set<String> members(String group, Wait wait) {
        Members known = cache.get(group);
        if (known != null) {
            if (stale(known)) {
                readInBackground(group);
            }
            return known.people();
        }
        return switch (wait) {
            case NEVER -> {
                readInBackground(group);
                yield Set.of();
            }
            case UNTIL_KNOWN -> read(group).people();
            case BRIEFLY -> {
                try {
                    yield readLater(group).get(CLICK_WAIT.toMillis(), TimeUnit.MILLISECONDS).people();
                } catch (TimeoutException e) {
                    throw new NotifierException("timeout", "user group " + group + " not read in time", null);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof NotifierException n ? n
                            : new NotifierException("unexpected", "user group " + group + " not read", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotifierException("interrupted", "user group " + group + " not read", null);
                }
            }
        };
    }

    private boolean stale(Members m) {
        return !clock.instant().isBefore(m.readAt().plus(FRESH));
    }

    private Members read(String group) {
        Members m = new Members(Set.copyOf(groups.members(group)), clock.instant());
        cache.put(group, m);
        return m;
    }

    /**
     * A read nobody waits for (a redraw, a role check, members grown old), at most once a {@link #RETRY}: every
     * stored change redraws Homes, and a group Slack keeps refusing must not turn them into a stream of calls.
     */
    private void readInBackground(String group) {
        Instant now = clock.instant();
        Instant last = attempted.get(group);
        if (last != null && now.isBefore(last.plus(RETRY))) {
            return;
        }
        attempted.put(group, now);
        readLater(group).exceptionally(e -> null);
    }

    /** One read of the group at a time, on the loader; callers share it. */
    private CompletableFuture<Members> readLater(String group) {
        CompletableFuture<Members> mine = new CompletableFuture<>();
        CompletableFuture<Members> running = loading.putIfAbsent(group, mine);
        if (running != null) {
            return running;
        }
        Runnable work = () -> {
            try {
                mine.complete(read(group));
            } catch (RuntimeException e) {
                if (e instanceof NotifierException n) {
                    log.warn("user group {}: could not read its members ({})", group, n.code());
                }
                mine.completeExceptionally(e);
            } finally {
                loading.remove(group, mine);
            }
        };
        try {
            loader.execute(work);
        } catch (RejectedExecutionException stopping) {
            work.run();
        }
        return mine;
    }
}
