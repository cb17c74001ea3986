package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.port.Leases;
import dev.awsonboard.lifecycle.port.Links;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Use case: people who leave, without trusting one event. Slack paused Events API delivery for about
 * 16 hours in February 2025 and did not replay the backlog, so a {@code user_change} can be missed;
 * this looks at every person an IAM user is linked to ({@code users.info}) and files the offboarding
 * for anyone deactivated, through {@link Departures} as the event does, so each IAM user is filed for
 * once whatever the replicas, restarts and repeated looks. One replica looks at a time (a lease), at
 * most one {@code users.info} every {@link #PACE}.
 */
public final class DepartureCheck {
    private static final Logger log = LoggerFactory.getLogger(DepartureCheck.class);
    /** users.info is Tier 4 (100+ a minute): one every 1.2 s is half of it, leaving the rest to the bot's other calls. */
    static final Duration PACE = Duration.ofMillis(1200);
    static final String LEASE = "departure-check";

    private final Links links;
    private final People people;
    private final Departures departures;
    private final Leases leases;
    private final Lease lease;
    private final Clock clock;
    private final LongConsumer pause;

    /** @param pause waits the given milliseconds between two looks (production sleeps; tests count) */
    DepartureCheck(Links links, People people, Departures departures, Leases leases, Lease lease, Clock clock, LongConsumer pause) {
        this.links = links;
        this.people = people;
        this.departures = departures;
        this.leases = leases;
        this.lease = lease;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * @param looked  people asked about
     * @param left    of them, deactivated in Slack
     * @param filed   offboardings filed now
     */
    public record Report(int looked, int left, int filed) {
        static final Report NONE = new Report(0, 0, 0);
    }

    /**
     * Looks at every linked person now, unless another replica is at it.
     *
     * @param reasonFor the offboarding's reason for a person, as the approvers read it (the adapter words it)
     */
    public Report run(Function<String, String> reasonFor) {
        if (!departures.enabled() || !claim()) {
            return Report.NONE;
        }
        int looked = 0;
        int left = 0;
        int filed = 0;
        try {
            List<String> linked = links.all().stream().map(Link::slackUserId).distinct().sorted().toList();
            for (String person : linked) {
                if (departures.allFiledFor(person)) {
                    continue; // nothing left to file for them: Slack need not be asked
                }
                if (looked > 0) {
                    pause.accept(PACE.toMillis());
                }
                if (!claim()) {
                    break; // the lease ran out and another replica took over
                }
                looked++;
                Optional<People.Person> p;
                try {
                    p = people.find(person);
                } catch (NotifierException e) {
                    log.warn("departure check: could not look up {} ({}); the next check does", person, e.code());
                    continue;
                }
                if (p.isPresent() && p.get().deactivated()) {
                    left++;
                    filed += (int) departures.personLeft(person, reasonFor.apply(person)).stream().filter(o -> o.isDone()).count();
                }
            }
        } finally {
            leases.release(LEASE, lease.owner());
        }
        Report report = new Report(looked, left, filed);
        if (left > 0) {
            log.info("departure check: {}", report);
        }
        return report;
    }

    /** Takes or renews the check's lease. */
    private boolean claim() {
        return leases.claim(LEASE, lease.owner(), clock.instant(), clock.instant().plus(lease.ttl()));
    }
}
