package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.ReminderSender;
import dev.awsonboard.lifecycle.port.UserGroups;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chat service in memory, for use-case tests: the {@link Notifier}, {@link People},
 * {@link ReminderSender} and {@link UserGroups} ports, recording what each person and the approval channel were told
 * (as "method request-id status", no words) and what files are alive. The QR image it takes is
 * the seed's bytes ({@link Domain} renders it so), so a test reads the seed back as a person's
 * authenticator would. Any method can be made to fail as Slack refuses ({@link #refuse}).
 */
final class RecordingNotifier implements Notifier, People, ReminderSender, UserGroups {
    record Told(String to, String what, String requestId, String status) {
        @Override
        public String toString() {
            return to + ": " + what + " " + requestId + " " + status;
        }
    }

    static final String APPROVALS = "CAPPROVALS";

    private final List<Told> told = new ArrayList<>();
    private final Map<String, String> lastSeedOf = new HashMap<>();
    private final Set<String> files = new HashSet<>();
    private final Map<String, String> refused = new HashMap<>();
    private final Set<String> crashes = new HashSet<>();
    private final Map<String, java.util.function.Consumer<Request>> hooks = new HashMap<>();
    private final Map<String, Person> people = new LinkedHashMap<>();
    private final Map<String, List<String>> userGroups = new HashMap<>();
    private int userGroupReads;
    private int next = 1;

    // --- what tests arrange and read ---

    synchronized RecordingNotifier person(String id) {
        people.put(id, new Person(id, false, false, false));
        return this;
    }

    synchronized RecordingNotifier person(Person p) {
        people.put(p.id(), p);
        return this;
    }

    /** How many times a user group's members were asked for. */
    synchronized int userGroupReads() {
        return userGroupReads;
    }

    /** A Slack user group and its members now. */
    synchronized RecordingNotifier userGroup(String id, String... members) {
        userGroups.put(id, List.of(members));
        return this;
    }

    /** Every later call of {@code method} fails with Slack's {@code error}, until {@link #accept}. */
    synchronized RecordingNotifier refuse(String method, String error) {
        refused.put(method, error);
        return this;
    }

    /** Runs {@code then} as Slack takes each call of {@code method}, as a person who acts at once on what arrives. */
    synchronized RecordingNotifier whenSent(String method, java.util.function.Consumer<Request> then) {
        hooks.put(method, then);
        return this;
    }

    /** The next call of {@code method} kills the process (a {@link SimulatedCrash}) before Slack takes it. */
    synchronized RecordingNotifier crashAt(String method) {
        crashes.add(method);
        return this;
    }

    synchronized RecordingNotifier accept(String method) {
        refused.remove(method);
        return this;
    }

    synchronized List<Told> told() {
        return List.copyOf(told);
    }

    synchronized List<Told> toldTo(String to) {
        return told.stream().filter(t -> t.to().equals(to)).toList();
    }

    /** The seed in the last QR this person was sent. */
    synchronized String seedSentTo(String person) {
        return Optional.ofNullable(lastSeedOf.get(person)).orElseThrow(() -> new AssertionError("no QR sent to " + person));
    }

    /** QR files still in Slack (uploaded, not yet deleted). */
    synchronized Set<String> filesAlive() {
        return Set.copyOf(files);
    }

    // --- the ports ---

    @Override
    public synchronized List<MessageRef> postApprovalRequest(Request r, Audience audience) {
        List<MessageRef> refs = new ArrayList<>();
        for (String channel : audience.channels()) {
            record(channel, "postApprovalRequest", r);
            refs.add(new MessageRef(channel, ts()));
        }
        for (String person : audience.people()) {
            record(person, "postApprovalRequest", r);
            refs.add(new MessageRef("D" + person, ts()));
        }
        return refs;
    }

    @Override
    public synchronized List<String> members(String userGroupId) {
        userGroupReads++;
        check("usergroups.users.list");
        List<String> members = userGroups.get(userGroupId);
        if (members == null) {
            throw new NotifierException("no_such_subteam", "no user group " + userGroupId, null);
        }
        return members;
    }

    @Override
    public synchronized void refreshApprovalRequest(Request r) {
        if (r.approvalMessages().isEmpty()) {
            record(APPROVALS, "refreshApprovalRequest", r);
        }
        // Each copy where it was posted: a channel, or an approver's DM ("D" + their id).
        r.approvalMessages().stream().map(MessageRef::channel).distinct().forEach(channel -> record(channel, "refreshApprovalRequest", r));
    }

    @Override
    public synchronized void notifyRequester(Request r) {
        record(r.requesterUserId(), "notifyRequester", r);
    }

    @Override
    public synchronized void notifyPerson(Request r) {
        record(r.targetUserId(), "notifyPerson", r);
    }

    @Override
    public synchronized QrUpload reserveQr(Request r, SetupDetails details) {
        record(r.targetUserId(), "reserveQr", r);
        String file = "F" + next++;
        return new QrUpload(r.targetUserId(), "D" + r.targetUserId(), file, "https://files.example/" + file);
    }

    @Override
    public synchronized void shareQr(QrUpload upload, SetupDetails details) {
        check("shareQr");
        files.add(upload.fileId());
        lastSeedOf.put(upload.personId(), new String(details.qrPng(), StandardCharsets.UTF_8));
    }

    @Override
    public synchronized MessageRef sendSetupInstructions(Request r, SetupDetails details) {
        record(r.targetUserId(), "sendSetupInstructions", r);
        return new MessageRef("D" + r.targetUserId(), ts());
    }

    @Override
    public synchronized MessageRef sendPasswordInvite(Request r) {
        record(r.targetUserId(), "sendPasswordInvite", r);
        return new MessageRef("D" + r.targetUserId(), ts());
    }

    @Override
    public synchronized void setupCompleted(Request r, boolean offerFirstPassword) {
        record(r.targetUserId(), "setupCompleted", r);
    }

    @Override
    public synchronized void setupClosed(Request r) {
        record(r.targetUserId(), "setupClosed", r);
    }

    @Override
    public synchronized void deleteFile(String fileId) {
        check("deleteFile");
        files.remove(fileId);
    }

    @Override
    public synchronized Optional<Person> find(String userId) {
        check("users.info");
        return Optional.ofNullable(people.get(userId));
    }

    @Override
    public synchronized void remindApprovers(Request r, List<String> approvers, Duration waiting) {
        record(APPROVALS, "remindApprovers", r);
    }

    @Override
    public synchronized void remindPerson(Request r, Duration left) {
        record(r.targetUserId(), "remindPerson", r);
    }

    @Override
    public synchronized void remindGrantEnding(Request r, Duration left) {
        record(r.targetUserId(), "remindGrantEnding", r);
    }

    private void record(String to, String what, Request r) {
        check(what);
        told.add(new Told(to, what, r.id(), r.status().name()));
        java.util.function.Consumer<Request> hook = hooks.get(what);
        if (hook != null) {
            hook.accept(r);
        }
    }

    private void check(String method) {
        if (crashes.remove(method)) {
            throw new SimulatedCrash("slack:" + method);
        }
        String error = refused.get(method);
        if (error != null) {
            throw new NotifierException(error, method + " refused: " + error, null);
        }
    }

    private String ts() {
        return "1700000000." + String.format("%06d", next++);
    }
}
