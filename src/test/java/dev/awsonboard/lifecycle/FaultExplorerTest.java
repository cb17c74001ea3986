package dev.awsonboard.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link FaultExplorer}, in two sizes, both in every test run: every path, every boundary (each time
 * it is passed) and every fault; then a second crash at every boundary of the recovery from each first
 * crash. Each prints how many combinations it ran and how long they took (about 1 s and 7 s here).
 */
class FaultExplorerTest {

    @Test
    void everyPathEveryBoundaryEveryFaultKeepsTheInvariants() {
        long started = System.nanoTime();
        List<FaultExplorer.Outcome> outcomes = new ArrayList<>();
        Set<FaultExplorer.Fault> faults = EnumSet.allOf(FaultExplorer.Fault.class);
        for (FaultExplorer.Path path : FaultExplorer.paths()) {
            outcomes.addAll(FaultExplorer.walk(path, faults));
        }
        report("explorer (every path, boundary and fault)", outcomes, started);
    }

    @Test
    void aCrashWhileRecoveringFromACrashAtEveryBoundaryKeepsTheInvariants() {
        long started = System.nanoTime();
        List<FaultExplorer.Outcome> outcomes = new ArrayList<>();
        for (FaultExplorer.Path path : FaultExplorer.paths()) {
            outcomes.addAll(FaultExplorer.walkTwoCrashes(path));
        }
        report("explorer (two crashes: every boundary, then every boundary of its recovery)", outcomes, started);
    }

    private static void report(String what, List<FaultExplorer.Outcome> outcomes, long started) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        long paths = outcomes.stream().map(FaultExplorer.Outcome::path).distinct().count();
        long points = outcomes.stream().map(o -> o.path() + " " + o.point().split(", again")[0]).distinct().count();
        System.out.printf("%s: %d combinations (%d paths, %d boundaries; crash %d, lost answer %d, lease stolen %d, slow call %d) in %d ms%n",
                what, outcomes.size(), paths, points, count(outcomes, FaultExplorer.Fault.CRASH), count(outcomes, FaultExplorer.Fault.LOST_ANSWER),
                count(outcomes, FaultExplorer.Fault.LEASE_STOLEN), count(outcomes, FaultExplorer.Fault.SLOW_CALL), ms);
        assertThat(outcomes).isNotEmpty();
        assertThat(outcomes.stream().filter(o -> !o.ok()).map(FaultExplorer.Outcome::toString).toList()).isEmpty();
    }

    private static long count(List<FaultExplorer.Outcome> outcomes, FaultExplorer.Fault fault) {
        return outcomes.stream().filter(o -> o.fault() == fault).count();
    }
}
