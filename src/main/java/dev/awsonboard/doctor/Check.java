package dev.awsonboard.doctor;

/** One thing the doctor verifies. A check reports problems as a result; an exception it throws counts as FAIL. */
public interface Check {

    /** The row's name, used also when {@link #run()} throws. */
    String name();

    CheckResult run();
}
