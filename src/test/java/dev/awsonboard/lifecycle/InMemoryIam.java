package dev.awsonboard.lifecycle;

import dev.awsonboard.config.Secret;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link IamGateway} in memory, for use-case tests without HTTP: an account's users, groups and
 * virtual MFA devices with the rules IAM enforces that the domain relies on (names unique ignoring
 * case, NoSuchEntity, EntityAlreadyExists, DeleteConflict while anything is attached, a virtual
 * device deleted only when unassigned, two consecutive TOTP codes for the device's seed at this
 * clock). The wire-level {@code FakeIam} holds the SDK adapter to the real protocol; this one holds
 * the use cases to the port. A test may make any action fail before it acts ({@link #failNext}) or
 * after it acted, its answer lost ({@link #loseAnswerOfNext}).
 */
final class InMemoryIam implements IamGateway {
    static final String ACCOUNT = "123456789012";

    static final class User {
        final String name;
        final String userId;
        final String arn;
        final Map<String, String> tags;
        final Instant created;
        final Set<String> groups = new LinkedHashSet<>();
        final List<String> mfaDevices = new ArrayList<>();
        final List<String> accessKeys = new ArrayList<>();
        final List<String> signingCertificates = new ArrayList<>();
        final List<String> sshKeys = new ArrayList<>();
        final List<String> serviceCredentials = new ArrayList<>();
        final List<String> inlinePolicies = new ArrayList<>();
        final List<String> attachedPolicies = new ArrayList<>();
        Secret password;
        boolean passwordResetRequired;

        User(String name, String userId, String arn, Map<String, String> tags, Instant created) {
            this.name = name;
            this.userId = userId;
            this.arn = arn;
            this.tags = new LinkedHashMap<>(tags);
            this.created = created;
        }
    }

    record Device(String serial, String seed, String user) {
    }

    private final Clock clock;
    private final Random random = new Random(42);
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final Set<String> groups = new LinkedHashSet<>();
    private final Map<String, Deque<IamException>> failures = new HashMap<>();
    /** Actions whose next calls are carried out and then answered with a failure (the answer lost). */
    private final Map<String, Integer> lostAnswers = new HashMap<>();
    private final Map<String, Runnable> slowCalls = new HashMap<>();
    private final Map<String, Runnable> slowAnswers = new HashMap<>();
    /** Actions whose next call kills the process before IAM sees it. */
    private final Set<String> crashes = new java.util.HashSet<>();
    /** Users not yet visible everywhere (IAM's lag after a create): how many more calls naming them miss them. */
    private final Map<String, Integer> hidden = new HashMap<>();
    private int hideNew;
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Instant> keysUsed = new HashMap<>();
    private PasswordPolicy passwordPolicy = PasswordPolicy.AWS_DEFAULT;
    private int nextId = 1;

    InMemoryIam(Clock clock) {
        this.clock = clock;
    }

    // --- what tests arrange and read ---

    InMemoryIam group(String name) {
        groups.add(name);
        return this;
    }

    InMemoryIam passwordPolicy(PasswordPolicy policy) {
        this.passwordPolicy = policy;
        return this;
    }

    /** The next call of {@code action} (e.g. "CreateLoginProfile") fails with {@code e}. */
    synchronized InMemoryIam failNext(String action, IamException e) {
        failures.computeIfAbsent(action, a -> new ArrayDeque<>()).add(e);
        return this;
    }

    /**
     * The next {@code times} calls of {@code action} are carried out and then fail as a lost answer
     * does (a 500, a reset, a timeout): the caller cannot know the change was made.
     */
    synchronized InMemoryIam loseAnswerOfNext(String action, int times) {
        lostAnswers.merge(action, times, Integer::sum);
        return this;
    }

    /**
     * Each user created from now on stays invisible to the next {@code calls} calls that name it
     * (GetUser finds nothing, the others answer NoSuchEntity), as IAM right after a create; CreateUser
     * itself still sees the name taken.
     */
    synchronized InMemoryIam hideNewUsers(int calls) {
        hideNew = calls;
        return this;
    }

    /**
     * The next call of {@code action} first runs {@code meanwhile}, as if the call were slow and this
     * happened while it was on its way (another click, another replica's sweep); then it acts.
     */
    synchronized InMemoryIam whileCalling(String action, Runnable meanwhile) {
        slowCalls.put(action, meanwhile);
        return this;
    }

    /**
     * The next call of {@code action} acts, then runs {@code meanwhile} before its answer comes back, as
     * if the answer were slow and this happened while it was on its way back.
     */
    synchronized InMemoryIam afterCalling(String action, Runnable meanwhile) {
        slowAnswers.put(action, meanwhile);
        return this;
    }

    /** The next call of {@code action} kills the process (a {@link SimulatedCrash}) before IAM acts on it. */
    synchronized InMemoryIam crashAt(String action) {
        crashes.add(action);
        return this;
    }

    static IamException error(IamException.Kind kind, String code) {
        return new IamException(kind, code, code + " (in-memory IAM)");
    }

    synchronized Optional<User> user(String name) {
        return Optional.ofNullable(users.get(key(name)));
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized long count(String action) {
        return calls.stream().filter(action::equals).count();
    }

    synchronized String seedOf(String serial) {
        return devices.get(serial).seed();
    }

    synchronized List<Device> devices() {
        return List.copyOf(devices.values());
    }

    /** A user made outside the bot, as an admin makes one in the console. */
    synchronized User existing(String name, Map<String, String> tags) {
        return createUserNow(name, "/", tags);
    }

    /** A user made outside the bot under {@code path}, with a console password ({@code console}) or not. */
    synchronized User existing(String name, String path, Map<String, String> tags, boolean console) {
        User u = createUserNow(name, path, tags);
        u.password = console ? Secret.of("Console-Pa55word!") : null;
        return u;
    }


    synchronized String giveAccessKey(String user) {
        String id = "AKIA" + String.format("%016d", nextId++);
        required(user).accessKeys.add(id);
        return id;
    }

    synchronized void useAccessKey(String id, Instant at) {
        keysUsed.put(id, at);
    }

    synchronized String giveHardwareToken(String user) {
        String serial = "GAHT" + String.format("%08d", nextId++);
        required(user).mfaDevices.add(serial);
        return serial;
    }

    // --- the port ---

    @Override
    public synchronized CreatedUser createUser(String userName, String path, Map<String, String> tags, Optional<String> boundary) {
        User u = call("CreateUser", () -> {
            if (users.containsKey(key(userName))) {
                throw error(IamException.Kind.ALREADY_EXISTS, "EntityAlreadyExists");
            }
            User made = createUserNow(userName, path, tags);
            if (hideNew > 0) {
                hidden.put(key(userName), hideNew);
            }
            return made;
        });
        return new CreatedUser(u.name, u.userId, u.arn);
    }

    private User createUserNow(String userName, String path, Map<String, String> tags) {
        User u = new User(userName, "AIDA" + String.format("%017d", nextId++), "arn:aws:iam::" + ACCOUNT + ":user" + path + userName,
                tags, clock.instant());
        users.put(key(userName), u);
        return u;
    }

    @Override
    public synchronized Optional<ExistingUser> findUser(String userName) {
        return call("GetUser", () -> Optional.ofNullable(visible(userName) ? users.get(key(userName)) : null)
                .map(u -> new ExistingUser(u.name, u.userId, u.arn, Map.copyOf(u.tags), u.created, Optional.empty())));
    }

    @Override
    public synchronized Optional<String> userIdOf(String userName) {
        return call("GetUser", () -> Optional.ofNullable(visible(userName) ? users.get(key(userName)) : null).map(u -> u.userId));
    }

    @Override
    public synchronized void addUserToGroup(String userName, String groupName) {
        run("AddUserToGroup", () -> {
            User u = required(userName);
            if (!groups.contains(groupName)) {
                throw noSuchEntity();
            }
            u.groups.add(groupName);
        });
    }

    @Override
    public synchronized PasswordPolicy passwordPolicy() {
        return call("GetAccountPasswordPolicy", () -> passwordPolicy);
    }

    @Override
    public synchronized void createLoginProfile(String userName, Secret password, boolean resetRequired) {
        run("CreateLoginProfile", () -> {
            User u = required(userName);
            if (u.password != null) {
                throw error(IamException.Kind.ALREADY_EXISTS, "EntityAlreadyExists");
            }
            u.password = password;
            u.passwordResetRequired = resetRequired;
        });
    }

    @Override
    public synchronized void updateLoginProfile(String userName, Secret password, boolean resetRequired) {
        run("UpdateLoginProfile", () -> {
            User u = required(userName);
            if (u.password == null) {
                throw noSuchEntity();
            }
            u.password = password;
            u.passwordResetRequired = resetRequired;
        });
    }

    @Override
    public synchronized VirtualMfaDevice createVirtualMfaDevice(String deviceName, String path) {
        return call("CreateVirtualMFADevice", () -> {
            String serial = "arn:aws:iam::" + ACCOUNT + ":mfa" + path + deviceName;
            if (devices.containsKey(serial)) {
                throw error(IamException.Kind.ALREADY_EXISTS, "EntityAlreadyExists");
            }
            String seed = seed();
            devices.put(serial, new Device(serial, seed, null));
            return new VirtualMfaDevice(serial, Secret.of(seed));
        });
    }

    @Override
    public synchronized void enableMfaDevice(String userName, String serial, String code1, String code2) {
        run("EnableMFADevice", () -> {
            User u = required(userName);
            Device d = devices.get(serial);
            if (d == null) {
                throw noSuchEntity();
            }
            if (d.user() != null) {
                throw error(IamException.Kind.ALREADY_EXISTS, "EntityAlreadyExists");
            }
            List<String> expected = Totp.twoConsecutiveCodes(d.seed(), clock.instant().minus(Totp.STEP));
            List<String> now = Totp.twoConsecutiveCodes(d.seed(), clock.instant());
            if (!List.of(code1, code2).equals(expected) && !List.of(code1, code2).equals(now)) {
                throw error(IamException.Kind.INVALID_CODE, "InvalidAuthenticationCode");
            }
            devices.put(serial, new Device(serial, d.seed(), u.name));
            u.mfaDevices.add(serial);
        });
    }

    @Override
    public synchronized void deleteVirtualMfaDevice(String serial) {
        run("DeleteVirtualMFADevice", () -> {
            Device d = devices.get(serial);
            if (d == null) {
                throw noSuchEntity();
            }
            if (d.user() != null) {
                throw error(IamException.Kind.OTHER, "DeleteConflict");
            }
            devices.remove(serial);
        });
    }

    @Override
    public synchronized List<String> unassignedVirtualMfaDevices(String path) {
        return call("ListVirtualMFADevices", () -> devices.values().stream()
                .filter(d -> d.user() == null && d.serial().contains(":mfa" + path)).map(Device::serial).toList());
    }

    @Override
    public synchronized void removeUserFromGroup(String userName, String groupName) {
        run("RemoveUserFromGroup", () -> removeFrom(required(userName).groups, groupName));
    }

    @Override
    public synchronized void deleteLoginProfile(String userName) {
        run("DeleteLoginProfile", () -> {
            User u = required(userName);
            if (u.password == null) {
                throw noSuchEntity();
            }
            u.password = null;
        });
    }

    @Override
    public synchronized void deactivateMfaDevice(String userName, String serial) {
        run("DeactivateMFADevice", () -> {
            removeFrom(required(userName).mfaDevices, serial);
            Device d = devices.get(serial);
            if (d != null) {
                devices.put(serial, new Device(serial, d.seed(), null));
            }
        });
    }

    @Override
    public synchronized void deleteUser(String userName) {
        run("DeleteUser", () -> {
            User u = required(userName);
            if (u.password != null || !u.groups.isEmpty() || !u.mfaDevices.isEmpty() || !u.accessKeys.isEmpty()
                    || !u.signingCertificates.isEmpty() || !u.sshKeys.isEmpty() || !u.serviceCredentials.isEmpty()
                    || !u.inlinePolicies.isEmpty() || !u.attachedPolicies.isEmpty()) {
                throw error(IamException.Kind.OTHER, "DeleteConflict");
            }
            users.remove(key(userName));
        });
    }

    @Override
    public synchronized Optional<String> accountAlias() {
        return call("ListAccountAliases", Optional::empty);
    }

    @Override
    public synchronized boolean hasLoginProfile(String userName) {
        return call("GetLoginProfile", () -> required(userName).password != null);
    }

    @Override
    public synchronized List<MfaDevice> mfaDevices(String userName) {
        return call("ListMFADevices", () -> required(userName).mfaDevices.stream().map(MfaDevice::of).toList());
    }

    @Override
    public synchronized List<String> accessKeyIds(String userName) {
        return call("ListAccessKeys", () -> List.copyOf(required(userName).accessKeys));
    }

    @Override
    public synchronized void deleteAccessKey(String userName, String accessKeyId) {
        run("DeleteAccessKey", () -> removeFrom(required(userName).accessKeys, accessKeyId));
    }

    @Override
    public synchronized List<String> signingCertificateIds(String userName) {
        return call("ListSigningCertificates", () -> List.copyOf(required(userName).signingCertificates));
    }

    @Override
    public synchronized void deleteSigningCertificate(String userName, String certificateId) {
        run("DeleteSigningCertificate", () -> removeFrom(required(userName).signingCertificates, certificateId));
    }

    @Override
    public synchronized List<String> sshPublicKeyIds(String userName) {
        return call("ListSSHPublicKeys", () -> List.copyOf(required(userName).sshKeys));
    }

    @Override
    public synchronized void deleteSshPublicKey(String userName, String sshPublicKeyId) {
        run("DeleteSSHPublicKey", () -> removeFrom(required(userName).sshKeys, sshPublicKeyId));
    }

    @Override
    public synchronized List<String> serviceSpecificCredentialIds(String userName) {
        return call("ListServiceSpecificCredentials", () -> List.copyOf(required(userName).serviceCredentials));
    }

    @Override
    public synchronized void deleteServiceSpecificCredential(String userName, String credentialId) {
        run("DeleteServiceSpecificCredential", () -> removeFrom(required(userName).serviceCredentials, credentialId));
    }

    @Override
    public synchronized List<String> inlinePolicyNames(String userName) {
        return call("ListUserPolicies", () -> List.copyOf(required(userName).inlinePolicies));
    }

    @Override
    public synchronized void deleteUserPolicy(String userName, String policyName) {
        run("DeleteUserPolicy", () -> removeFrom(required(userName).inlinePolicies, policyName));
    }

    @Override
    public synchronized List<String> attachedPolicyArns(String userName) {
        return call("ListAttachedUserPolicies", () -> List.copyOf(required(userName).attachedPolicies));
    }

    @Override
    public synchronized void attachUserPolicy(String userName, String policyArn) {
        run("AttachUserPolicy", () -> {
            User u = required(userName);
            if (!u.attachedPolicies.contains(policyArn)) {
                u.attachedPolicies.add(policyArn);
            }
        });
    }

    @Override
    public synchronized void detachUserPolicy(String userName, String policyArn) {
        run("DetachUserPolicy", () -> removeFrom(required(userName).attachedPolicies, policyArn));
    }

    @Override
    public synchronized List<String> groupsOf(String userName) {
        return call("ListGroupsForUser", () -> List.copyOf(required(userName).groups));
    }

    @Override
    public synchronized Optional<Instant> accessKeyLastUsed(String accessKeyId) {
        return call("GetAccessKeyLastUsed", () -> {
            if (users.values().stream().noneMatch(u -> u.accessKeys.contains(accessKeyId))) {
                throw noSuchEntity();
            }
            return Optional.ofNullable(keysUsed.get(accessKeyId));
        });
    }

    @Override
    public synchronized void tagUser(String userName, Map<String, String> tags) {
        run("TagUser", () -> required(userName).tags.putAll(tags));
    }

    @Override
    public synchronized void untagUser(String userName, List<String> keys) {
        run("UntagUser", () -> keys.forEach(required(userName).tags::remove));
    }

    // --- the credential report: IAM makes one at most every four hours, and it takes a few reads to be ready ---

    private dev.awsonboard.lifecycle.model.CredentialReport report;
    private int reportsGenerated;
    private int reportInProgressFor;
    private int reportReadsInProgress;

    /** The next reports are still being made for this many report requests after the one that starts them (default 0). */
    synchronized InMemoryIam reportInProgressFor(int reads) {
        reportInProgressFor = reads;
        return this;
    }

    synchronized int reportsGenerated() {
        return reportsGenerated;
    }

    @Override
    public synchronized boolean generateCredentialReport() {
        return call("GenerateCredentialReport", () -> {
            if (report != null && clock.instant().isBefore(report.generated().plus(java.time.Duration.ofHours(4)))) {
                if (reportReadsInProgress > 0) {
                    reportReadsInProgress--; // each look moves it along, as in FakeIam
                    return false;
                }
                return true;
            }
            List<dev.awsonboard.lifecycle.model.CredentialReport.User> rows = users.values().stream().map(u ->
                    new dev.awsonboard.lifecycle.model.CredentialReport.User(u.name, u.arn, u.created, u.password != null,
                            Optional.empty(), !u.mfaDevices.isEmpty(), u.accessKeys.stream().map(k ->
                            new dev.awsonboard.lifecycle.model.CredentialReport.AccessKey(u.created, Optional.empty())).toList()))
                    .toList();
            report = new dev.awsonboard.lifecycle.model.CredentialReport(clock.instant(), rows);
            reportReadsInProgress = reportInProgressFor;
            reportsGenerated++;
            return reportReadsInProgress == 0;
        });
    }

    @Override
    public synchronized Optional<dev.awsonboard.lifecycle.model.CredentialReport> credentialReport() {
        return call("GetCredentialReport", () -> {
            if (reportReadsInProgress > 0) {
                reportReadsInProgress--;
                throw error(IamException.Kind.TEMPORARILY_UNMODIFIABLE, "ReportInProgress");
            }
            boolean fresh = report != null && clock.instant().isBefore(report.generated().plus(java.time.Duration.ofHours(4)));
            return fresh ? Optional.of(report) : Optional.empty();
        });
    }

    @Override
    public synchronized Map<String, String> tagsOf(String userName) {
        return call("ListUserTags", () -> Map.copyOf(required(userName).tags));
    }

    // --- rules ---

    private <T> T call(String action, Supplier<T> body) {
        if (crashes.remove(action)) {
            throw new SimulatedCrash("iam:" + action);
        }
        Runnable meanwhile = slowCalls.remove(action);
        if (meanwhile != null) {
            meanwhile.run(); // on the caller's thread, holding this fake's lock: a stand-in for time passing
        }
        calls.add(action);
        Deque<IamException> planned = failures.get(action);
        if (planned != null && !planned.isEmpty()) {
            throw planned.poll();
        }
        T result = body.get();
        Runnable onTheWayBack = slowAnswers.remove(action);
        if (onTheWayBack != null) {
            onTheWayBack.run();
        }
        if (lostAnswers.getOrDefault(action, 0) > 0) {
            lostAnswers.merge(action, -1, Integer::sum);
            throw error(IamException.Kind.UNAVAILABLE, "ServiceFailure");
        }
        return result;
    }

    private void run(String action, Runnable body) {
        call(action, () -> {
            body.run();
            return null;
        });
    }

    /** False while a new user is still hidden from calls naming it (counts this call). */
    private boolean visible(String name) {
        Integer left = hidden.get(key(name));
        if (left == null || left <= 0) {
            return true;
        }
        hidden.put(key(name), left - 1);
        return false;
    }

    private User required(String name) {
        User u = users.get(key(name));
        if (u == null || !visible(name)) {
            throw noSuchEntity();
        }
        return u;
    }

    private static void removeFrom(java.util.Collection<String> held, String id) {
        if (!held.remove(id)) {
            throw noSuchEntity();
        }
    }

    private static IamException noSuchEntity() {
        return error(IamException.Kind.NO_SUCH_ENTITY, "NoSuchEntity");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private String seed() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
