package dev.awsonboard.slack.webapi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One run per key per burst of touches, and the last change of a burst is never lost. */
class DebounceTest {
    /** Holds scheduled tasks until the test runs them: time passes when the test says so. */
    private static final class ManualScheduler implements Debounce.Scheduler {
        final List<Runnable> due = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            due.add(task);
            delays.add(delay);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(due);
            due.clear();
            now.forEach(Runnable::run);
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> runs = new ArrayList<>();
    private final Debounce<String> debounce = new Debounce<>(scheduler, Duration.ofMillis(1500), runs::add);

    @Test
    void aBurstOfTwentyTouchesForOnePersonRunsOnceAfterTheDelay() {
        for (int i = 0; i < 20; i++) {
            debounce.touch("UALICE");
        }

        assertThat(scheduler.due).hasSize(1);
        assertThat(scheduler.delays).containsExactly(Duration.ofMillis(1500));
        scheduler.runAll();
        assertThat(runs).containsExactly("UALICE");
    }

    @Test
    void eachPersonGetsTheirOwnRun() {
        debounce.touch("UALICE");
        debounce.touch("UBOB");
        debounce.touch("UALICE");

        scheduler.runAll();

        assertThat(runs).containsExactlyInAnyOrder("UALICE", "UBOB");
    }

    @Test
    void aChangeWhileTheRunIsUnderWayGetsARunOfItsOwn() {
        List<Debounce<String>> self = new ArrayList<>();
        self.add(new Debounce<>(scheduler, Duration.ofSeconds(1), key -> {
            runs.add(key);
            if (runs.size() == 1) {
                self.get(0).touch(key); // a request of theirs changes while their Home is being drawn
            }
        }));
        self.get(0).touch("UALICE");
        scheduler.runAll();

        assertThat(scheduler.due).hasSize(1);
        scheduler.runAll();
        assertThat(runs).containsExactly("UALICE", "UALICE");
    }

    @Test
    void nowRunsWithoutDelayWhateverWaits() {
        debounce.touch("UALICE");
        debounce.now("UALICE");

        assertThat(scheduler.delays).containsExactly(Duration.ofMillis(1500), Duration.ZERO);
    }
}
