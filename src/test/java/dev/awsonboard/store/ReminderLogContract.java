package dev.awsonboard.store;

import dev.awsonboard.lifecycle.port.ReminderLog;
import dev.awsonboard.lifecycle.port.ReminderLog.Reminded;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcReminderLog} on a real database: reminders are recorded by compare-and-set on the request row,
 * once however many replicas try, and without disturbing the request's own compare-and-set.
 */
abstract class ReminderLogContract {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.123456789Z");
    private final List<Database> opened = new ArrayList<>();

    protected abstract String jdbcUrl();

    private Database open() {
        Database db = Database.open(jdbcUrl());
        opened.add(db);
        return db;
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private static Request requested(String id) {
        return Request.newRequest(id, "sampleUser-" + id, "UALICE0001", "UREQUESTER", List.of("developers"), "", T0);
    }

    @Test
    void aNewRequestHasNoRemindersAndAnUnknownOneNothing() {
        Database db = open();
        new JdbcRequestStore(db.dataSource()).insert(requested("r-1"));
        ReminderLog log = new JdbcReminderLog(db.dataSource());

        assertThat(log.reminded("r-1")).contains(Reminded.NONE);
        assertThat(log.reminded("r-unknown")).isEmpty();
    }

    @Test
    void aReminderIsRecordedOnceAndAStaleRecordLoses() {
        Database db = open();
        new JdbcRequestStore(db.dataSource()).insert(requested("r-1"));
        ReminderLog log = new JdbcReminderLog(db.dataSource());
        Reminded first = new Reminded(1, 0, T0.plusSeconds(3600));

        assertThat(log.record("r-1", Status.REQUESTED, Reminded.NONE, first)).isTrue();
        assertThat(log.record("r-1", Status.REQUESTED, Reminded.NONE, first)).isFalse();
        assertThat(log.reminded("r-1")).contains(first);
    }

    @Test
    void nothingIsRecordedOnceTheRequestMovedOn() {
        Database db = open();
        RequestStore store = new JdbcRequestStore(db.dataSource());
        Request r = requested("r-1");
        store.insert(r);
        store.replace(r, r.withStatus(Status.APPROVED, T0).withApprover("UAPPROVER1", T0)).orElseThrow();
        ReminderLog log = new JdbcReminderLog(db.dataSource());

        assertThat(log.record("r-1", Status.REQUESTED, Reminded.NONE, new Reminded(1, 0, T0))).isFalse();
        assertThat(log.reminded("r-1")).contains(Reminded.NONE);
    }

    @Test
    void recordingLeavesTheRequestsVersionAndTimeSoItsOwnCompareAndSetStillWins() {
        Database db = open();
        RequestStore store = new JdbcRequestStore(db.dataSource());
        Request r = requested("r-1");
        store.insert(r);
        ReminderLog log = new JdbcReminderLog(db.dataSource());

        log.record("r-1", Status.REQUESTED, Reminded.NONE, new Reminded(1, 0, T0.plusSeconds(60)));

        Request stored = store.find("r-1").orElseThrow();
        assertThat(stored.version()).isZero();
        assertThat(stored.updatedAt()).isEqualTo(T0);
        // An approval that read the row before the reminder still goes through, and keeps the count.
        assertThat(store.replace(r, r.withStatus(Status.APPROVED, T0.plusSeconds(61)))).isPresent();
        assertThat(log.reminded("r-1").orElseThrow().approval()).isEqualTo(1);
    }

    @Test
    void ofManyReplicasRecordingTheSameReminderAtOnceExactlyOneWins() throws Exception {
        Database db = open();
        new JdbcRequestStore(db.dataSource()).insert(requested("r-1"));
        List<ReminderLog> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new JdbcReminderLog(open().dataSource()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ReminderLog log = replicas.get(i % replicas.size());
            Callable<Boolean> record = () -> {
                go.await();
                return log.record("r-1", Status.REQUESTED, Reminded.NONE, new Reminded(1, 0, T0));
            };
            results.add(pool.submit(record));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : results) {
            won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();

        assertThat(won).isEqualTo(1);
    }
}
