package dev.awsonboard.doctor;

import dev.awsonboard.doctor.CheckResult.Status;

import java.util.List;

/** Renders the results as an aligned table; pure, so its output is tested as text. */
public final class DoctorReport {
    private static final String GAP = "  ";

    private DoctorReport() {
    }

    public static String render(List<CheckResult> results) {
        int nameWidth = Math.max("CHECK".length(), results.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int statusWidth = "STATUS".length();
        String indent = " ".repeat(nameWidth + GAP.length() + statusWidth + GAP.length());
        StringBuilder out = new StringBuilder();
        out.append(row(nameWidth, statusWidth, "CHECK", "STATUS", "DETAIL"));
        for (CheckResult r : results) {
            out.append(row(nameWidth, statusWidth, r.name(), r.status().name(), oneLine(r.detail())));
            if (!r.fix().isBlank()) {
                out.append(indent).append("fix: ").append(oneLine(r.fix())).append('\n');
            }
        }
        out.append('\n').append(summary(results)).append('\n');
        return out.toString();
    }

    /** 0 when no check failed (warnings allowed), else 1. */
    public static int exitCode(List<CheckResult> results) {
        return results.stream().anyMatch(r -> r.status() == Status.FAIL) ? 1 : 0;
    }

    static String summary(List<CheckResult> results) {
        long failed = results.stream().filter(r -> r.status() == Status.FAIL).count();
        long warned = results.stream().filter(r -> r.status() == Status.WARN).count();
        String warnings = warned == 0 ? "" : ", " + warned + (warned == 1 ? " warning" : " warnings");
        if (failed == 0) {
            return "All " + results.size() + " checks passed" + warnings + ".";
        }
        return failed + " of " + results.size() + (results.size() == 1 ? " check" : " checks") + " failed" + warnings + ".";
    }

    private static String row(int nameWidth, int statusWidth, String name, String status, String detail) {
        return (pad(name, nameWidth) + GAP + pad(status, statusWidth) + GAP + detail).stripTrailing() + "\n";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
