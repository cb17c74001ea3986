package dev.awsonboard.doctor;

import java.util.Objects;

/**
 * One row of the doctor's table.
 *
 * @param name   what was checked, e.g. "slack scopes"
 * @param detail what was found; never a secret
 * @param fix    what to do about it; empty when nothing is to be done
 */
public record CheckResult(String name, Status status, String detail, String fix) {

    public enum Status {
        OK, WARN, FAIL
    }

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    public static CheckResult ok(String name, String detail) {
        return new CheckResult(name, Status.OK, detail, "");
    }

    public static CheckResult warn(String name, String detail, String fix) {
        return new CheckResult(name, Status.WARN, detail, fix);
    }

    public static CheckResult fail(String name, String detail, String fix) {
        return new CheckResult(name, Status.FAIL, detail, fix);
    }
}
