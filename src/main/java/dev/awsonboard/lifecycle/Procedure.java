package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.util.List;

/**
 * A request kind as the steps that carry it out once approved. {@link #carryOut} reads as the
 * story of the kind: one {@link Runner.Run#step} per step, in order; the runner skips the steps a
 * previous (crashed) run already recorded.
 */
interface Procedure {

    /** Every step this kind records, in order (including steps recorded inside another step). */
    List<Step> order();

    void carryOut(Runner.Run run);

    /** The status once every step is done: the person's turn, or DONE. */
    Status finished();

    /** Undoes what the steps did, after a failure or an expiry (best effort; leftovers are recorded). */
    Request undo(Request r);
}
