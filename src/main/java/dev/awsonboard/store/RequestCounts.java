package dev.awsonboard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request counts of V11 (request_status_count, request_change_day, request_change_count), moved by the statements of
 * the write that moves a request and in its transaction, so they always say what a count over
 * onboarding_request would, without reading it. A count is one row per status (and per hour of the
 * last change, and per day); a change adds to the rows of where the request is now and takes from where
 * it was.
 *
 * <p>On PostgreSQL each row is locked until the write commits. Every write takes them in one order
 * (the status rows by status, then the day rows, then the hour rows, each by time and status), after
 * the request's own row, so
 * two writes never wait for each other's counts in a circle.
 */
final class RequestCounts {
    private static final String STATUS = "INSERT INTO request_status_count (status, requests) VALUES (?, ?) "
            + "ON CONFLICT (status) DO UPDATE SET requests = request_status_count.requests + excluded.requests";
    private static final String DAY = "INSERT INTO request_change_day (changed_day, status, requests) VALUES (?, ?, ?) "
            + "ON CONFLICT (changed_day, status) DO UPDATE SET requests = request_change_day.requests + excluded.requests";
    private static final String CHANGE = "INSERT INTO request_change_count (changed_hour, status, requests) VALUES (?, ?, ?) "
            + "ON CONFLICT (changed_hour, status) DO UPDATE SET requests = request_change_count.requests + excluded.requests";

    private RequestCounts() {
    }

    /** The hour a stored timestamp (see {@link Timestamps}) falls in, as request_change_count keys it: 2026-01-02T03. */
    static String hour(String timestamp) {
        return timestamp.substring(0, 13);
    }

    /** The day a stored timestamp falls in, as request_change_day keys it: 2026-01-02. */
    static String day(String timestamp) {
        return timestamp.substring(0, 10);
    }

    /** A new request, in {@code status} and last changed at {@code updatedAt} (a stored timestamp). */
    static void added(Connection c, String status, String updatedAt) throws SQLException {
        moved(c, null, null, status, updatedAt);
    }

    /**
     * A request moved from {@code fromStatus} (last changed at {@code fromUpdatedAt}) to {@code toStatus}
     * (changed at {@code toUpdatedAt}); a null {@code fromStatus} is a new request.
     */
    static void moved(Connection c, String fromStatus, String fromUpdatedAt, String toStatus, String toUpdatedAt) throws SQLException {
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Long> days = new TreeMap<>(); // "day status", which sorts by day, then status
        Map<String, Long> hours = new TreeMap<>(); // "hour status"
        if (fromStatus != null) {
            statuses.merge(fromStatus, -1L, Long::sum);
            days.merge(day(fromUpdatedAt) + ' ' + fromStatus, -1L, Long::sum);
            hours.merge(hour(fromUpdatedAt) + ' ' + fromStatus, -1L, Long::sum);
        }
        statuses.merge(toStatus, 1L, Long::sum);
        days.merge(day(toUpdatedAt) + ' ' + toStatus, 1L, Long::sum);
        hours.merge(hour(toUpdatedAt) + ' ' + toStatus, 1L, Long::sum);
        for (Map.Entry<String, Long> e : statuses.entrySet()) {
            if (e.getValue() != 0) {
                try (PreparedStatement ps = c.prepareStatement(STATUS)) {
                    ps.setString(1, e.getKey());
                    ps.setLong(2, e.getValue());
                    ps.executeUpdate();
                }
            }
        }
        add(c, DAY, days);
        add(c, CHANGE, hours);
    }

    /** Adds each "time status" count of {@code changes} that is not zero, in their order, with {@code sql}. */
    private static void add(Connection c, String sql, Map<String, Long> changes) throws SQLException {
        for (Map.Entry<String, Long> e : changes.entrySet()) {
            if (e.getValue() != 0) {
                int space = e.getKey().indexOf(' ');
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, e.getKey().substring(0, space));
                    ps.setString(2, e.getKey().substring(space + 1));
                    ps.setLong(3, e.getValue());
                    ps.executeUpdate();
                }
            }
        }
    }
}
