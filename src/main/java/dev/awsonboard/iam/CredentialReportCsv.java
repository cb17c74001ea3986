package dev.awsonboard.iam;

import dev.awsonboard.lifecycle.model.CredentialReport;
import dev.awsonboard.lifecycle.port.IamException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads IAM's credential report (the CSV of GetCredentialReport, IAM User Guide "Getting credential
 * reports for your AWS account") into the domain's {@link CredentialReport}. Columns are found by
 * their names in the header, so a column IAM adds later changes nothing; the {@code <root_account>}
 * row is left out. IAM writes {@code N/A} where a credential is absent, {@code no_information} for a
 * password never used and {@code not_supported} for what the root user lacks: all read as "none".
 */
final class CredentialReportCsv {
    static final String ROOT = "<root_account>";
    private static final List<String> REQUIRED = List.of("user", "arn", "user_creation_time", "password_enabled",
            "password_last_used", "mfa_active");

    private CredentialReportCsv() {
    }

    static CredentialReport parse(Instant generated, String csv) {
        List<List<String>> rows = rows(csv);
        if (rows.isEmpty()) {
            throw unreadable("no header");
        }
        Map<String, Integer> column = new HashMap<>();
        List<String> header = rows.get(0);
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i).strip(), i);
        }
        for (String name : REQUIRED) {
            if (!column.containsKey(name)) {
                throw unreadable("no column " + name);
            }
        }
        List<CredentialReport.User> users = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Cells c = new Cells(row, column);
            if (c.text("user").isEmpty() || c.text("user").equals(ROOT)) {
                continue;
            }
            List<CredentialReport.AccessKey> keys = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                String key = "access_key_" + n + "_";
                if (c.flag(key + "active")) {
                    keys.add(new CredentialReport.AccessKey(c.date(key + "last_rotated").orElse(null), c.date(key + "last_used_date")));
                }
            }
            users.add(new CredentialReport.User(c.text("user"), c.text("arn"), c.date("user_creation_time").orElse(null),
                    c.flag("password_enabled"), c.date("password_last_used"), c.flag("mfa_active"), keys));
        }
        return new CredentialReport(generated, users);
    }

    private static IamException unreadable(String why) {
        return new IamException(IamException.Kind.OTHER, "UnreadableReport", "IAM's credential report could not be read: " + why);
    }

    /** One row's cells by column name. */
    private record Cells(List<String> row, Map<String, Integer> column) {
        String text(String name) {
            Integer i = column.get(name);
            return i == null || i >= row.size() ? "" : row.get(i).strip();
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(text(name));
        }

        /** A date, or empty for N/A, no_information, not_supported and anything else that is not one. */
        Optional<Instant> date(String name) {
            String value = text(name);
            if (value.isEmpty() || !Character.isDigit(value.charAt(0))) {
                return Optional.empty();
            }
            try {
                return Optional.of(OffsetDateTime.parse(value).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    /** RFC 4180: cells separated by commas, quoted when they hold a comma, a quote or a line break. */
    static List<List<String>> rows(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char ch = csv.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
