package dev.awsonboard.lifecycle;

/**
 * What a killed process looks like to the code: it stops where it is, and nothing catches it (an
 * Error, not an exception). Use-case tests throw it from a port, then {@link Domain#restart} the
 * use cases on the same ports, as a new process on the same database, IAM and Slack.
 */
final class SimulatedCrash extends Error {
    SimulatedCrash(String point) {
        super("simulated crash at " + point, null, false, false);
    }
}
