/**
 * The life of an IAM user that belongs to a person: the requests about it, their rules and their
 * steps. Knows no Slack, AWS or JDBC type ({@code DomainBoundariesTest} walks the sources); it
 * speaks to the world through {@link dev.awsonboard.lifecycle.port} and in the values of
 * {@link dev.awsonboard.lifecycle.model}.
 *
 * <h2>The kinds, one file each</h2>
 * Each file tells one kind's whole story: who may ask, what keeps it out, what the
 * acknowledgement checks, the checks and plan before approval, the steps after it, and the undo
 * ({@link dev.awsonboard.lifecycle.RequestKind}); {@link dev.awsonboard.lifecycle.UseCases} holds
 * the table of them ({@link dev.awsonboard.lifecycle.Kinds}).
 * <pre>
 * kind            file               after approval                         ends
 * onboard         Onboarding.java    PROVISIONING -&gt; AWAITING_MFA           DONE when the codes enable MFA
 * reset-mfa       MfaReset.java      PROVISIONING -&gt; AWAITING_MFA           DONE when the codes enable MFA
 * reset-password  PasswordReset.java PROVISIONING -&gt; AWAITING_PASSWORD      DONE when the person sees it
 * offboard        Offboarding.java   PROVISIONING                           DONE when the user is deleted
 * enrol-mfa       MfaEnrolment.java  PROVISIONING -&gt; AWAITING_MFA           DONE when the codes enable MFA
 * grant           Grant.java         PROVISIONING -&gt; GRANTED                DONE when GrantEnds takes it away
 * </pre>
 * An MFA setup ({@code enrol-mfa}) grants nothing and is decided by the approver who asks: once checked
 * it is approved for its requester, without going before the approvers
 * ({@link dev.awsonboard.lifecycle.RequestKind#decidedByItsRequester}).
 * Every kind starts the same way: {@code SUBMITTED} (stored at the acknowledgement,
 * {@link dev.awsonboard.lifecycle.Intake}) -&gt; {@code REQUESTED} (checked and put before the
 * approvers, {@link dev.awsonboard.lifecycle.Screening}; or {@code REJECTED}) -&gt; {@code APPROVED}
 * ({@link dev.awsonboard.lifecycle.Decisions}, once every approval rule that covers the request has
 * its approvals, {@link dev.awsonboard.lifecycle.Approvers}; or {@code DENIED}, {@code CANCELLED},
 * {@code EXPIRED}) -&gt; {@code PROVISIONING} ({@link dev.awsonboard.lifecycle.Runner} runs the
 * kind's steps, each recorded before the next; or {@code FAILED}, undone).
 *
 * <h2>Everything else</h2>
 * <ul>
 *   <li>the person's part: {@link dev.awsonboard.lifecycle.MfaActivation} (two codes),
 *       {@link dev.awsonboard.lifecycle.PasswordReveal} (Show password);</li>
 *   <li>reads: {@link dev.awsonboard.lifecycle.StatusQuery}, {@link dev.awsonboard.lifecycle.Overview}
 *       (App Home), {@link dev.awsonboard.lifecycle.SelfService}, {@link dev.awsonboard.lifecycle.AccountUsers}
 *       (the account's IAM users from the credential report);</li>
 *   <li>time: {@link dev.awsonboard.lifecycle.Sweeper} (resumes, expiries, owed deletions),
 *       {@link dev.awsonboard.lifecycle.Reminders}, {@link dev.awsonboard.lifecycle.MfaSummary},
 *       {@link dev.awsonboard.lifecycle.GrantEnds} (grants whose time has come, or that someone ended early);
 *       people who left: {@link dev.awsonboard.lifecycle.Departures} (the event) and
 *       {@link dev.awsonboard.lifecycle.DepartureCheck} (the periodic look);</li>
 *   <li>who owns an IAM user: {@link dev.awsonboard.lifecycle.Ownership}; telling people, or
 *       recording that we could not: {@link dev.awsonboard.lifecycle.Tell};</li>
 *   <li>the parts the kinds share: a run ({@link dev.awsonboard.lifecycle.Run}, its
 *       {@link dev.awsonboard.lifecycle.Lease} and {@link dev.awsonboard.lifecycle.CrashProbe}),
 *       IAM calls with their retry and audit ({@code IamCalls}, {@code IamRetry}), the MFA setup
 *       ({@code MfaSetup}), taking a user apart ({@code UserRemoval}, {@code Inventory}), the
 *       way down ({@code Cleanup}).</li>
 * </ul>
 */
package dev.awsonboard.lifecycle;
