package dev.awsonboard.fakes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * IAM's credential report as {@link FakeIam} serves it: one CSV for the whole account, made by
 * GenerateCredentialReport and read by GetCredentialReport (Content base64, ReportFormat text/csv,
 * GeneratedTime), with the columns and placeholder values of the IAM User Guide's "Getting
 * credential reports for your AWS account": the {@code <root_account>} row first; {@code N/A} where
 * a credential is absent, {@code no_information} for a password never used, {@code not_supported}
 * for what the root user has no such thing as. A report is made at most every four hours: within
 * four hours of the last one GenerateCredentialReport answers COMPLETE and changes nothing, and
 * after four hours GetCredentialReport answers ReportExpired until a new one is made. Generating
 * takes a while: the next {@link #readyAfter} report requests answer INPROGRESS / ReportInProgress.
 * Not thread-safe; FakeIam calls it under its lock.
 */
final class CredentialReports {
    /** IAM makes a new report only when the last one is older than this. */
    static final Duration FRESH_FOR = Duration.ofHours(4);
    static final String ROOT = "<root_account>";
    static final List<String> COLUMNS = List.of("user", "arn", "user_creation_time", "password_enabled",
            "password_last_used", "password_last_changed", "password_next_rotation", "mfa_active",
            "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
            "access_key_1_last_used_region", "access_key_1_last_used_service",
            "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
            "access_key_2_last_used_region", "access_key_2_last_used_service",
            "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated");
    /** The report's dates: ISO 8601 with an offset, as IAM writes them ({@code 2014-10-15T18:25:12+00:00}). */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final String NA = "N/A";

    /** One user as the report describes it; dates null where there is none. */
    record UserRow(String name, String arn, Instant created, boolean passwordEnabled, Instant passwordLastUsed,
                   Instant passwordLastChanged, boolean mfaActive, List<AccessKey> accessKeys, List<Instant> certificates) {
    }

    /** An active access key: when it was made, and where it was last used, if ever. */
    record AccessKey(Instant created, Instant lastUsed, String region, String service) {
    }

    /** The last use of an access key: when, in which region, by which service. */
    record LastUse(Instant at, String region, String service) {
    }

    /** The root user's row: its creation, its last sign-in (null: never), whether it has MFA. */
    record Root(String arn, Instant created, Instant passwordLastUsed, boolean mfaActive) {
    }

    /** What GenerateCredentialReport answers. */
    enum State { STARTED, INPROGRESS, COMPLETE }

    /** An error answer of GetCredentialReport, with IAM's code and HTTP status. */
    static final class Refused extends RuntimeException {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    record Report(Instant generated, String csv) {
        String base64() {
            return Base64.getEncoder().encodeToString(csv.getBytes(StandardCharsets.UTF_8));
        }
    }

    private Report current;
    private Report making;
    private int makingFor;
    private int readyAfter = 1;
    private int generated;

    /** How many report requests after the one that starts it answer "in progress" (0: ready at once). */
    void readyAfter(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests >= 0");
        }
        readyAfter = requests;
    }

    /** How many reports were made (each GenerateCredentialReport that answered STARTED). */
    int generated() {
        return generated;
    }

    /** GenerateCredentialReport: the state, and the report's rows taken now when a new one starts. */
    State generate(Instant now, Root root, Supplier<List<UserRow>> rows) {
        advance();
        if (making != null) {
            return State.INPROGRESS;
        }
        if (current != null && now.isBefore(current.generated().plus(FRESH_FOR))) {
            return State.COMPLETE;
        }
        making = new Report(now, csv(root, rows.get()));
        makingFor = readyAfter;
        generated++;
        return State.STARTED;
    }

    /** GetCredentialReport: the report, or IAM's refusal. */
    Report get(Instant now) {
        advance();
        if (making != null) {
            throw new Refused(404, "ReportInProgress", "Report generation in progress");
        }
        if (current == null) {
            throw new Refused(410, "ReportNotPresent", "Credential report not present");
        }
        if (!now.isBefore(current.generated().plus(FRESH_FOR))) {
            throw new Refused(410, "ReportExpired", "Credential report is expired");
        }
        return current;
    }

    /** Each report request moves a generation under way along; the last of its "in progress" answers finishes it. */
    private void advance() {
        if (making == null) {
            return;
        }
        if (makingFor == 0) {
            current = making;
            making = null;
        } else {
            makingFor--;
        }
    }

    /** GenerateCredentialReport's Description, which IAM gives when it starts a report; null otherwise. */
    static String description(State state) {
        return state == State.STARTED ? "No report exists. Starting a new report generation task" : null;
    }

    static String csv(Root root, List<UserRow> users) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", COLUMNS));
        lines.add(line(List.of(ROOT, root.arn(), date(root.created()), "not_supported",
                root.passwordLastUsed() == null ? "no_information" : date(root.passwordLastUsed()), "not_supported",
                "not_supported", String.valueOf(root.mfaActive()), "false", NA, NA, NA, NA, "false", NA, NA, NA, NA,
                "false", NA, "false", NA)));
        for (UserRow u : users) {
            List<String> cells = new ArrayList<>(List.of(u.name(), u.arn(), date(u.created()),
                    String.valueOf(u.passwordEnabled()),
                    !u.passwordEnabled() ? NA : u.passwordLastUsed() == null ? "no_information" : date(u.passwordLastUsed()),
                    u.passwordEnabled() ? date(u.passwordLastChanged()) : NA,
                    NA, // the fake's password policy never expires passwords
                    String.valueOf(u.mfaActive())));
            for (int i = 0; i < 2; i++) {
                AccessKey k = i < u.accessKeys().size() ? u.accessKeys().get(i) : null;
                cells.addAll(k == null ? List.of("false", NA, NA, NA, NA) : List.of("true", date(k.created()),
                        k.lastUsed() == null ? NA : date(k.lastUsed()), k.region() == null ? NA : k.region(),
                        k.service() == null ? NA : k.service()));
            }
            for (int i = 0; i < 2; i++) {
                Instant c = i < u.certificates().size() ? u.certificates().get(i) : null;
                cells.addAll(c == null ? List.of("false", NA) : List.of("true", date(c)));
            }
            lines.add(line(cells));
        }
        return String.join("\n", lines);
    }

    private static String date(Instant at) {
        return at == null ? NA : DATE.format(at);
    }

    /** RFC 4180: a cell with a comma or a quote is quoted (IAM user names may hold commas). */
    private static String line(List<String> cells) {
        return String.join(",", cells.stream().map(c -> c.contains(",") || c.contains("\"")
                ? "\"" + c.replace("\"", "\"\"") + "\"" : c).toList());
    }
}
