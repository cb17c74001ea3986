package dev.awsonboard.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import org.apache.commons.codec.binary.Base32;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An in-process IAM speaking the real Query protocol over HTTP, so the SDK adapter is tested on
 * the wire: form-encoded {@code Action=...&Version=2010-05-08}, SigV4-signed with the test
 * credentials ({@link #ACCESS_KEY_ID}/{@link #SECRET_ACCESS_KEY}), XML answers in the IAM
 * namespace, AWS error codes with the HTTP statuses of the IAM API model, real TOTP checking in
 * EnableMFADevice, and IAM's quotas. Shapes, required parameters and error codes follow the IAM
 * API reference and its model (botocore {@code data/iam/2010-05-08/service-2.json}).
 *
 * <p><b>A user's whole life.</b> Beside what onboarding needs, the fake holds what offboarding
 * must remove (access keys, signing certificates, SSH public keys, service-specific credentials,
 * inline and attached managed policies, groups, MFA devices of every kind), and DeleteUser
 * answers DeleteConflict while any of it remains, as IAM does
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html). Tests set such
 * things up with Java helpers ({@link #giveAccessKey} ...) and read them back with
 * {@link #holdings}. {@link #signIn} plays the console's sign-in.
 *
 * <p><b>Eventual consistency.</b> Real IAM replicates changes "across multiple servers in
 * Amazon's data centers around the world": a change is confirmed at once but "can take some time
 * to become visible", and AWS advises not to depend on it in critical paths
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 * In practice a just-created user is NoSuchEntity to calls that name it for a few seconds
 * (read-after-create retries in hashicorp/terraform-provider-aws#18458), EnableMFADevice may
 * answer EntityTemporarilyUnmodifiable ("likely to succeed if you try again after waiting", API
 * reference), and deletes may answer ConcurrentModification. {@link #hideNewEntities},
 * {@link #hideNewEntitiesFor} and {@link #concurrentModificationOnDeletes} reproduce that on demand.
 *
 * <p><b>Lost answers.</b> A call can be carried out by IAM and its answer still never reach the
 * caller: a 500 from behind IAM's front end, a connection reset in the middle of the answer, or an
 * answer slower than the client waits. {@link #loseAnswerOfNext} does that after the change is made,
 * where {@link #failNext} refuses before anything changes; a retried create then meets
 * EntityAlreadyExists, a retried delete NoSuchEntity. {@link #hold} parks one action's requests, so
 * a test can make one call as slow as it needs.
 *
 * <p><b>Paging.</b> Every list IAM paginates pages here too: at most MaxItems (default 100)
 * items, {@code IsTruncated} and an opaque {@code Marker}. IAM "might return fewer results, even
 * when there are more results available" (MaxItems in the API reference), which
 * {@link #truncateListsAt} uses so tests reach page two with a handful of items.
 *
 * <p><b>The credential report.</b> GenerateCredentialReport and GetCredentialReport serve the whole
 * account's users in one CSV (base64 on the wire), at most one new report every four hours, as
 * IAM does ({@link CredentialReports}); {@link #useAccessKey} fills its last-used columns.
 *
 * <p>Thread-safe: the account state sits behind one lock (IAM calls are few and short); the
 * {@link #holdAll} gate and latency injection wait in the server's handler thread outside it.
 */
public final class FakeIam implements AutoCloseable {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String VERSION = "2010-05-08";
    /** STS shares this fake (GetCallerIdentity only), with its own API version and namespace. */
    public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static final String STS_VERSION = "2011-06-15";
    public static final String DEFAULT_CALLER_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":user/onboard-bot";
    /** The access key the tests sign with; the fake knows its secret, {@link #SECRET_ACCESS_KEY}. */
    public static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    public static final String SECRET_ACCESS_KEY = "test-secret-key";
    /** AWS managed policy granting iam:ChangePassword on the caller itself, as the console attaches it. */
    public static final String CHANGE_PASSWORD_POLICY_ARN = "arn:aws:iam::aws:policy/IAMUserChangePassword";
    public static final String ADMINISTRATOR_ACCESS_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

    private static final Set<String> STS_ACTIONS = Set.of("GetCallerIdentity");
    /** Deletes whose API reference lists ConcurrentModification (the IAM model's error lists). */
    static final Set<String> CONCURRENTLY_MODIFIED_DELETES = Set.of("DeleteUser", "DeleteVirtualMFADevice",
            "DeactivateMFADevice", "DeleteSigningCertificate");
    private static final Pattern SIMULATABLE_ARN = Pattern.compile("arn:aws[\\w-]*:iam::\\d{12}:(user|role|group)/.+");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[\\w-]*:iam::(\\d{12}|aws):policy/(.+/)?[\\w+=,.@-]+");
    /** What IAM accepts as a symbol in a password. */
    static final String PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

    // Quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    static final int MAX_MFA_DEVICES_PER_USER = 8;
    static final int MAX_TAGS_PER_USER = 50;
    static final int MAX_ACCESS_KEYS_PER_USER = 2;
    static final int MAX_SIGNING_CERTIFICATES_PER_USER = 2;
    static final int MAX_SSH_PUBLIC_KEYS_PER_USER = 5;
    static final int MAX_SERVICE_CREDENTIALS_PER_USER_PER_SERVICE = 2;
    static final int MAX_MANAGED_POLICIES_PER_USER = 10;
    static final int MAX_GROUPS_PER_USER = 10;
    /** Aggregate size of a user's inline policies, in non-whitespace characters. */
    static final int MAX_INLINE_POLICY_CHARS_PER_USER = 2048;
    static final int DEFAULT_MAX_ITEMS = 100;
    /** Services IAM issues service-specific credentials for (CreateServiceSpecificCredential). */
    static final Set<String> CREDENTIAL_SERVICES = Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com",
            "bedrock.amazonaws.com");
    /** "If a password is used more than once in a five-minute span, only the first use is returned" (User.PasswordLastUsed). */
    static final Duration PASSWORD_USE_GRANULARITY = Duration.ofMinutes(5);

    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern ID = Pattern.compile("\\w+");
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final Pattern CODE = Pattern.compile("\\d{6}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String CHANGE_PASSWORD_DOCUMENT = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["iam:ChangePassword"],
               "Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"]},
              {"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}""";
    private static final String ADMINISTRATOR_DOCUMENT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    /** A user as a test sees it. */
    public record User(String name, String path, String userId, String arn, Map<String, String> tags,
                       List<String> groups, boolean loginProfile, boolean passwordResetRequired,
                       List<String> mfaDevices) {
    }

    /** A virtual MFA device; {@code assignedUser} is null while unassigned. */
    public record VirtualDevice(String serial, String assignedUser) {
    }

    /** Everything attached to a user that DeleteUser refuses to leave behind; ids, names, ARNs or serials. */
    public record Holdings(boolean loginProfile, List<String> accessKeys, List<String> signingCertificates,
                           List<String> sshPublicKeys, List<String> serviceSpecificCredentials,
                           List<String> inlinePolicies, List<String> attachedPolicies, List<String> groups,
                           List<String> mfaDevices) {
        /** True when DeleteUser would succeed. */
        public boolean isEmpty() {
            return !loginProfile && Stream.of(accessKeys, signingCertificates, sshPublicKeys, serviceSpecificCredentials,
                    inlinePolicies, attachedPolicies, groups, mfaDevices).allMatch(List::isEmpty);
        }
    }

    /**
     * One request the fake answered: its action, the parameters that name what it acted on (user, key id,
     * policy, group, serial...) and the HTTP status, so tests can count per item what was done.
     */
    public record Answered(String action, Map<String, String> names, int status) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** The parameters that name an entity, as IAM spells them. */
    private static final List<String> NAMING_PARAMETERS = List.of("UserName", "AccessKeyId", "CertificateId",
            "SSHPublicKeyId", "ServiceSpecificCredentialId", "PolicyName", "PolicyArn", "GroupName", "SerialNumber");

    /** What the console's sign-in page would do with these credentials. */
    public enum SignIn {
        /** Signed in (after changing the password, when that is required and allowed). */
        OK,
        /** Unknown user, no console password, or the wrong one: the console does not say which. */
        WRONG_PASSWORD,
        /** The user has an MFA device and no code was given. */
        MFA_REQUIRED,
        /** No device of the user accepts the code at the fake's clock. */
        WRONG_MFA_CODE,
        /** The password must be reset, but neither the account policy nor the user's policies allow iam:ChangePassword. */
        CANNOT_CHANGE_PASSWORD
    }

    /** The outcome of a user changing their own password (the console page, or the ChangePassword API). */
    public enum PasswordChange { CHANGED, WRONG_PASSWORD, NOT_ALLOWED, POLICY_VIOLATION }

    private enum DeviceType { VIRTUAL, HARDWARE, SECURITY_KEY }

    private final Clock clock;
    private final Random random;
    private final HttpServer server;
    private final ExecutorService executor;

    private final Object lock = new Object();
    // Keyed by lower-cased name: IAM names are unique ignoring case.
    private final Map<String, UserState> users = new LinkedHashMap<>();
    /** When each access key was last used, as a test says ({@link #useAccessKey}); absent: never. */
    private final Map<String, CredentialReports.LastUse> accessKeysUsed = new LinkedHashMap<>();
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final Map<String, DeviceState> devicesBySerial = new LinkedHashMap<>();
    /** Hardware tokens and security keys: they exist only while assigned to their user. */
    private final Map<String, DeviceState> otherDevices = new LinkedHashMap<>();
    private final Map<String, ManagedPolicy> managedPolicies = new LinkedHashMap<>();
    private final Map<String, String> lastPasswords = new HashMap<>();
    private PasswordPolicy passwordPolicy;
    private String accountAlias;
    private int hideRequests;
    private Duration hideDuration = Duration.ZERO;
    private int pageSize = DEFAULT_MAX_ITEMS;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Answered> answered = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Queue<IamError>> faults = new ConcurrentHashMap<>();
    private final Map<String, Queue<LostAnswer>> lostAnswers = new ConcurrentHashMap<>();
    /** Actions whose requests {@link #hold} parks (before they act); "*" parks every action. */
    private final Set<String> heldActions = ConcurrentHashMap.newKeySet();
    /** How many more requests of an action {@link #holdNext} parks. */
    private final Map<String, AtomicInteger> holdCounts = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Set<String> deniedActions = ConcurrentHashMap.newKeySet();
    private final List<String> simulatedPrincipals = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> secretKeys = new ConcurrentHashMap<>(Map.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    /** The account's credential report (GenerateCredentialReport, GetCredentialReport), under {@link #lock}. */
    private final CredentialReports credentialReports = new CredentialReports();
    private final AtomicInteger concurrentModifications = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final Object gateLock = new Object();
    private volatile CountDownLatch gate;
    private volatile boolean throttled;
    private volatile String callerArn = DEFAULT_CALLER_ARN;

    private FakeIam(Clock clock, long randomSeed) throws IOException {
        this.clock = clock;
        this.random = new Random(randomSeed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-iam");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        Instant awsManaged = Instant.parse("2016-11-15T00:25:16Z");
        managedPolicies.put(CHANGE_PASSWORD_POLICY_ARN, new ManagedPolicy("IAMUserChangePassword", "/",
                CHANGE_PASSWORD_POLICY_ARN, PolicyDocument.parse(CHANGE_PASSWORD_DOCUMENT), awsManaged));
        managedPolicies.put(ADMINISTRATOR_ACCESS_ARN, new ManagedPolicy("AdministratorAccess", "/",
                ADMINISTRATOR_ACCESS_ARN, PolicyDocument.parse(ADMINISTRATOR_DOCUMENT), awsManaged));
    }

    /** Starts on a random loopback port; {@code clock} drives TOTP checks and dates, {@code randomSeed} seeds and ids. */
    public static FakeIam start(Clock clock, long randomSeed) {
        try {
            FakeIam iam = new FakeIam(clock, randomSeed);
            iam.server.start();
            return iam;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the IAM fake", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    public String accountId() {
        return ACCOUNT_ID;
    }

    /** The test credentials the fake accepts by default, for an SDK client. */
    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    @Override
    public void close() {
        releaseAll();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- account set-up for tests ----

    /** Requests signed with this access key are checked against this secret (default: only {@link #ACCESS_KEY_ID}). */
    public void acceptCredentials(String accessKeyId, String secretAccessKey) {
        secretKeys.put(accessKeyId, secretAccessKey);
    }

    public void createGroup(String name) {
        synchronized (lock) {
            groups.computeIfAbsent(key(name), k -> new GroupState(name, "AGPA" + randomId(17), now()));
        }
    }

    /** Sets the account password policy; {@code null} removes it (GetAccountPasswordPolicy then says NoSuchEntity). */
    public void setPasswordPolicy(PasswordPolicy policy) {
        synchronized (lock) {
            passwordPolicy = policy;
        }
    }

    /** Sets the account alias; {@code null} removes it. */
    public void setAccountAlias(String alias) {
        synchronized (lock) {
            accountAlias = alias;
        }
    }

    /** The ARN STS GetCallerIdentity reports, e.g. an assumed-role ARN; default {@link #DEFAULT_CALLER_ARN}. */
    public void setCallerArn(String arn) {
        callerArn = arn;
    }

    /** SimulatePrincipalPolicy answers {@code implicitDeny} for this action (like {@code iam:EnableMFADevice}). */
    public void denyAction(String action) {
        deniedActions.add(action.toLowerCase(Locale.ROOT));
    }

    /** A customer managed policy, attachable by the returned ARN. */
    public String createManagedPolicy(String name, String document) {
        return helper(() -> {
            String arn = "arn:aws:iam::" + ACCOUNT_ID + ":policy/" + name;
            managedPolicies.put(arn, new ManagedPolicy(name, "/", arn, parsePolicy(document), now()));
            return arn;
        });
    }

    /** Attaches a managed policy to a group (the bot never does; its members' sign-in sees it). */
    public void attachGroupPolicy(String group, String policyArn) {
        helper(() -> {
            GroupState g = groups.get(key(group));
            if (g == null) {
                throw noSuchGroup(group);
            }
            g.attachedPolicies.add(existingPolicy(policyArn).arn());
            return null;
        });
    }

    // ---- set-up of what a user holds (Java, no HTTP; IAM's quotas apply) ----

    /** A new active access key for the user; its id. */
    public String giveAccessKey(String user) {
        return helper(() -> {
            UserState u = knownUser(user);
            quota(u.accessKeys.size(), MAX_ACCESS_KEYS_PER_USER, "AccessKeysPerUser");
            String id = "AKIA" + randomId(16);
            u.accessKeys.put(id, new Credential(id, now(), null));
            return id;
        });
    }

    /** The key was used to sign a request at {@code at}, as GetAccessKeyLastUsed will say. */
    public void useAccessKey(String accessKeyId, Instant at) {
        helper(() -> accessKeysUsed.put(accessKeyId, new CredentialReports.LastUse(at, "us-east-1", "s3")));
    }

    /** A new signing certificate for the user; its id. */
    public String giveSigningCertificate(String user) {
        return helper(() -> {
            UserState u = knownUser(user);
            quota(u.signingCertificates.size(), MAX_SIGNING_CERTIFICATES_PER_USER, "SigningCertificatesPerUser");
            String id = randomId(32);
            String body = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                    ("fake certificate " + id).getBytes(StandardCharsets.US_ASCII)) + "\n-----END CERTIFICATE-----\n";
            u.signingCertificates.put(id, new Credential(id, now(), body));
            return id;
        });
    }

    /** A new SSH public key (as for CodeCommit) for the user; its id. */
    public String giveSshPublicKey(String user) {
        return helper(() -> {
            UserState u = knownUser(user);
            quota(u.sshPublicKeys.size(), MAX_SSH_PUBLIC_KEYS_PER_USER, "KeysPerUser");
            String id = "APKA" + randomId(16);
            u.sshPublicKeys.put(id, new Credential(id, now(), null));
            return id;
        });
    }

    /** A new service-specific credential (e.g. {@code codecommit.amazonaws.com}) for the user; its id. */
    public String giveServiceSpecificCredential(String user, String serviceName) {
        return helper(() -> {
            UserState u = knownUser(user);
            supportedCredentialService(serviceName);
            long sameService = u.serviceCredentials.values().stream().filter(c -> c.serviceName().equals(serviceName)).count();
            quota((int) sameService, MAX_SERVICE_CREDENTIALS_PER_USER_PER_SERVICE, "ServiceSpecificCredentialsPerUserPerService");
            String id = "ACCA" + randomId(17);
            u.serviceCredentials.put(id, new ServiceCredential(id, serviceName, u.name + "-at-" + ACCOUNT_ID, now()));
            return id;
        });
    }

    /** Embeds (or replaces) an inline policy in the user, as PutUserPolicy does. */
    public void putUserPolicy(String user, String policyName, String document) {
        helper(() -> {
            putInlinePolicy(knownUser(user), policyName, document);
            return null;
        });
    }

    /** Attaches a managed policy (AWS managed or one from {@link #createManagedPolicy}) to the user. */
    public void attachUserPolicy(String user, String policyArn) {
        helper(() -> {
            attach(knownUser(user), policyArn);
            return null;
        });
    }

    /** Assigns a hardware TOTP token to the user; its serial (like GAHT12345678). {@link #seedOf} gives its seed. */
    public String giveHardwareMfaDevice(String user) {
        return helper(() -> giveOtherDevice(knownUser(user), DeviceType.HARDWARE,
                String.format("GAHT%08d", random.nextInt(100_000_000)), newSeed()));
    }

    /** Assigns a FIDO security key to the user; its serial ({@code arn:aws:iam::...:u2f/user/<name>/...}). */
    public String giveSecurityKey(String user) {
        return helper(() -> {
            UserState u = knownUser(user);
            String serial = "arn:aws:iam::" + ACCOUNT_ID + ":u2f/user/" + u.name + "/security-key-" + randomId(26);
            return giveOtherDevice(u, DeviceType.SECURITY_KEY, serial, null);
        });
    }

    /**
     * The access key signs a request now, in {@code region} for {@code service}: GetAccessKeyLastUsed and the
     * credential report's last-used columns say so.
     */
    public void useAccessKey(String user, String accessKeyId, String region, String service) {
        helper(() -> {
            UserState u = knownUser(user);
            if (!u.accessKeys.containsKey(accessKeyId)) {
                throw new IamError(404, "NoSuchEntity", "The Access Key with id " + accessKeyId + " cannot be found.");
            }
            accessKeysUsed.put(accessKeyId, new CredentialReports.LastUse(now(), region, service));
            return null;
        });
    }

    /**
     * How many report requests after the one that starts a credential report still answer that it is in
     * progress (GenerateCredentialReport INPROGRESS, GetCredentialReport ReportInProgress); default 1, 0 for at once.
     */
    public void credentialReportReadyAfter(int requests) {
        synchronized (lock) {
            credentialReports.readyAfter(requests);
        }
    }

    /** How many credential reports IAM started making (GenerateCredentialReport answering STARTED). */
    public int credentialReportsGenerated() {
        synchronized (lock) {
            return credentialReports.generated();
        }
    }

    private String giveOtherDevice(UserState user, DeviceType type, String serial, String seed) {
        quota(user.mfaSerials.size(), MAX_MFA_DEVICES_PER_USER, "MFADevicesPerUser");
        DeviceState device = new DeviceState(type, serial, serial, seed);
        device.user = user;
        device.enabled = now();
        otherDevices.put(serial, device);
        user.mfaSerials.add(serial);
        return serial;
    }

    // ---- consistency, faults and load ----

    /**
     * Each user made by CreateUser and each virtual MFA device made by CreateVirtualMFADevice after
     * this call stays invisible to the next {@code requests} requests that name it: NoSuchEntity
     * (404) from GetUser, AddUserToGroup, CreateLoginProfile, TagUser, AttachUserPolicy and every
     * other call with its UserName; EnableMFADevice answers NoSuchEntity for a hidden user and
     * EntityTemporarilyUnmodifiable (409) for a hidden device. CreateUser itself still sees the
     * name as taken, and CreateVirtualMFADevice names no user. 0 turns it off for new entities.
     */
    public void hideNewEntities(int requests) {
        synchronized (lock) {
            hideRequests = requests;
        }
    }

    /** Like {@link #hideNewEntities}, but for a while on the fake's clock after each creation. */
    public void hideNewEntitiesFor(Duration duration) {
        synchronized (lock) {
            hideDuration = duration;
        }
    }

    /**
     * The next {@code requests} requests for a delete whose API reference lists it
     * ({@link #CONCURRENTLY_MODIFIED_DELETES}) answer ConcurrentModification (409) and change nothing.
     */
    public void concurrentModificationOnDeletes(int requests) {
        concurrentModifications.set(requests);
    }

    /** Lists return at most {@code items} per page even when MaxItems asks for more, as IAM may. */
    public void truncateListsAt(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("a page holds at least one item");
        }
        synchronized (lock) {
            pageSize = items;
        }
    }

    /** The next {@code times} requests for {@code action} fail with this AWS error code and HTTP status. */
    public void failNext(String action, int times, String errorCode, int httpStatus) {
        Queue<IamError> queue = faults.computeIfAbsent(action, a -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < times; i++) {
            queue.add(new IamError(httpStatus, errorCode, injectedMessage(errorCode)));
        }
    }

    /**
     * How an answer IAM already acted on fails to reach the caller: the change is made, the caller
     * cannot know. Retrying such a create meets EntityAlreadyExists; retrying a delete, NoSuchEntity.
     */
    public record LostAnswer(How how, Duration held) {
        public enum How {
            /** 500 ServiceFailure after the change was made (a fault behind IAM's front end). */
            SERVER_ERROR,
            /** The connection breaks in the middle of the answer (a reset): the client reads a cut body. */
            RESET,
            /** The answer comes only after {@link #held}, later than the client waits: it times out. */
            TIMEOUT
        }

        public static LostAnswer serverError() {
            return new LostAnswer(How.SERVER_ERROR, Duration.ZERO);
        }

        public static LostAnswer reset() {
            return new LostAnswer(How.RESET, Duration.ZERO);
        }

        /** @param held longer than the client's attempt timeout */
        public static LostAnswer timeout(Duration held) {
            return new LostAnswer(How.TIMEOUT, held);
        }
    }

    /**
     * The next {@code times} requests for {@code action} are carried out as usual and their answer is
     * lost ({@link LostAnswer}): unlike {@link #failNext}, which refuses before anything changes.
     */
    public void loseAnswerOfNext(String action, int times, LostAnswer how) {
        Queue<LostAnswer> queue = lostAnswers.computeIfAbsent(action, a -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < times; i++) {
            queue.add(how);
        }
    }

    /** Every later request for {@code action} ({@code "*"}: every action without its own) is answered after {@code delay}. */
    public void setLatency(String action, Duration delay) {
        latencies.put(action, delay);
    }

    /** While on, every request (signed correctly) answers Throttling (400) and changes nothing. */
    public void throttleEverything(boolean on) {
        throttled = on;
    }

    /** Parks every request arriving from now on until {@link #releaseAll}; parked requests are in {@link #calls}. */
    public void holdAll() {
        hold("*");
    }

    /**
     * Parks the next {@code requests} requests for {@code action}, before they act, until {@link #releaseAll};
     * later ones go through: one worker's call as slow as a test needs while another's is not.
     */
    public void holdNext(String action, int requests) {
        synchronized (gateLock) {
            holdCounts.computeIfAbsent(action, a -> new AtomicInteger()).addAndGet(requests);
            if (gate == null) {
                gate = new CountDownLatch(1);
            }
        }
    }

    /**
     * Parks every request for {@code action} arriving from now on, before it acts, until
     * {@link #releaseAll}: a call as slow as a test needs, while other actions go through.
     */
    public void hold(String action) {
        synchronized (gateLock) {
            heldActions.add(action);
            if (gate == null) {
                gate = new CountDownLatch(1);
            }
        }
    }

    /** Lets every parked request through and stops parking new ones. */
    public void releaseAll() {
        CountDownLatch open;
        synchronized (gateLock) {
            open = gate;
            gate = null;
            heldActions.clear();
            holdCounts.clear();
        }
        if (open != null) {
            open.countDown();
        }
    }

    /** How many requests {@link #holdAll} is parking right now. */
    public int held() {
        return held.get();
    }

    private static String injectedMessage(String code) {
        return switch (code) {
            case "Throttling" -> "Rate exceeded";
            case "ServiceFailure" -> "Request processing has failed due to some unknown error, exception or failure.";
            case "AccessDenied" -> "User: arn:aws:iam::" + ACCOUNT_ID
                    + ":user/onboard-bot is not authorized to perform this action";
            case "ConcurrentModification" -> "The request was rejected because multiple requests to change this object "
                    + "were submitted simultaneously. Wait a few minutes and submit your request again.";
            default -> "Injected " + code + " by FakeIam";
        };
    }

    // ---- inspection ----

    /** The PolicySourceArn of every SimulatePrincipalPolicy request that was answered, in order. */
    public List<String> simulatedPrincipals() {
        synchronized (simulatedPrincipals) {
            return List.copyOf(simulatedPrincipals);
        }
    }

    public Optional<User> user(String name) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(key(name))).map(UserState::snapshot);
        }
    }

    /** What the user still holds, or empty when there is no such user. */
    public Optional<Holdings> holdings(String user) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(key(user))).map(UserState::holdings);
        }
    }

    /** When the user last signed in with a password ({@link #signIn}), as GetUser's PasswordLastUsed. */
    public Optional<Instant> passwordLastUsed(String user) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(key(user))).map(u -> u.passwordLastUsed);
        }
    }

    /** Requests for {@code action} that reached the server, failed and parked ones included. */
    public int callCount(String action) {
        synchronized (calls) {
            return (int) calls.stream().filter(action::equals).count();
        }
    }

    /** The actions of every request that reached the server, in arrival order. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Every request answered so far, in the order the answers were made (parked ones once let through). */
    public List<Answered> answered() {
        synchronized (answered) {
            return List.copyOf(answered);
        }
    }

    public List<VirtualDevice> virtualMfaDevices() {
        synchronized (lock) {
            return devicesBySerial.values().stream().map(d -> new VirtualDevice(d.serial, d.userName())).toList();
        }
    }

    /** The permissions boundary ARN CreateUser set on the user, or null. */
    public String permissionsBoundaryOf(String user) {
        synchronized (lock) {
            UserState u = users.get(key(user));
            return u == null ? null : u.permissionsBoundary;
        }
    }

    /** The password last accepted for {@code user} by Create/UpdateLoginProfile or a password change, or null. */
    public String lastPasswordSetFor(String user) {
        synchronized (lock) {
            return lastPasswords.get(key(user));
        }
    }

    /** The Base32 seed of an existing virtual device or hardware token. */
    public String seedOf(String serial) {
        synchronized (lock) {
            DeviceState device = device(serial);
            if (device == null || device.seed == null) {
                throw new IllegalArgumentException("no TOTP device " + serial + " in the fake");
            }
            return device.seed;
        }
    }

    // ---- the console ----

    /**
     * Signs in as the console would: the password first, then (if the user has any MFA device)
     * a code valid for one of its TOTP devices at the fake's clock (one step of drift either way;
     * a security key cannot be touched here, so a code never satisfies it), then, when the
     * password must be reset, whether the user may set a new one. That needs the account policy's
     * AllowUsersToChangePassword, or iam:ChangePassword on the user from its inline policies,
     * its attached managed policies or those attached to its groups, not denied there and, if
     * the user has a permissions boundary the fake knows ({@link #createManagedPolicy}), allowed
     * by the boundary too (see {@link PolicyDocument} for what is simplified). A sign-in that
     * gets through sets PasswordLastUsed.
     */
    public SignIn signIn(String userName, String password, String mfaCode) {
        synchronized (lock) {
            UserState user = users.get(key(userName));
            if (user == null || user.login == null || !user.login.password().equals(password)) {
                return SignIn.WRONG_PASSWORD;
            }
            if (!user.mfaSerials.isEmpty()) {
                if (mfaCode == null || mfaCode.isBlank()) {
                    return SignIn.MFA_REQUIRED;
                }
                boolean accepted = user.mfaSerials.stream().map(this::device)
                        .anyMatch(d -> d.seed != null && validNow(d.seed, mfaCode.strip()));
                if (!accepted) {
                    return SignIn.WRONG_MFA_CODE;
                }
            }
            if (user.login.passwordResetRequired() && !maySetOwnPassword(user)) {
                return SignIn.CANNOT_CHANGE_PASSWORD;
            }
            Instant now = now();
            if (user.passwordLastUsed == null || !now.isBefore(user.passwordLastUsed.plus(PASSWORD_USE_GRANULARITY))) {
                user.passwordLastUsed = now;
            }
            return SignIn.OK;
        }
    }

    /** The user changes their own password (old one required; permission as in {@link #signIn}); clears the reset flag. */
    public PasswordChange changePassword(String userName, String oldPassword, String newPassword) {
        synchronized (lock) {
            UserState user = users.get(key(userName));
            if (user == null || user.login == null || !user.login.password().equals(oldPassword)) {
                return PasswordChange.WRONG_PASSWORD;
            }
            if (!maySetOwnPassword(user)) {
                return PasswordChange.NOT_ALLOWED;
            }
            if (problemWith(newPassword, passwordPolicy).isPresent()) {
                return PasswordChange.POLICY_VIOLATION;
            }
            user.login = new LoginProfile(user.login.created(), false, newPassword);
            user.passwordChanged = now();
            lastPasswords.put(key(user.name), newPassword);
            SecretLedger.record(newPassword);
            return PasswordChange.CHANGED;
        }
    }

    private boolean validNow(String seed, String code) {
        long now = Totp.step(clock.instant());
        for (long t = now - 1; t <= now + 1; t++) {
            if (Totp.code(seed, Totp.startOf(t)).equals(code)) {
                return true;
            }
        }
        return false;
    }

    private boolean maySetOwnPassword(UserState user) {
        if (passwordPolicy != null && passwordPolicy.allowUsersToChangePassword()) {
            return true;
        }
        List<PolicyDocument> identity = new ArrayList<>();
        user.inlinePolicies.values().forEach(json -> identity.add(PolicyDocument.parse(json)));
        user.attachedPolicies.forEach(arn -> identity.add(managedPolicies.get(arn).document()));
        user.groups.forEach(g -> groups.get(key(g)).attachedPolicies
                .forEach(arn -> identity.add(managedPolicies.get(arn).document())));
        if (decide(identity, user) != PolicyDocument.Decision.ALLOW) {
            return false;
        }
        ManagedPolicy boundary = user.permissionsBoundary == null ? null : managedPolicies.get(user.permissionsBoundary);
        return boundary == null || decide(List.of(boundary.document()), user) == PolicyDocument.Decision.ALLOW;
    }

    private static PolicyDocument.Decision decide(List<PolicyDocument> documents, UserState user) {
        PolicyDocument.Decision result = PolicyDocument.Decision.NOT_APPLICABLE;
        for (PolicyDocument document : documents) {
            PolicyDocument.Decision d = document.decide("iam:ChangePassword", user.arn(), user.name);
            if (d == PolicyDocument.Decision.DENY) {
                return d;
            }
            if (d == PolicyDocument.Decision.ALLOW) {
                result = d;
            }
        }
        return result;
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Params params = Params.of(exchange.getRequestURI().getRawQuery(), body);
            String action = params.optional("Action").orElse("");
            calls.add(action);
            awaitGate(action);
            delay(action);
            Response response = respond(exchange, action, params, body);
            Map<String, String> names = new LinkedHashMap<>();
            NAMING_PARAMETERS.forEach(n -> params.optional(n).ifPresent(v -> names.put(n, v)));
            answered.add(new Answered(action, Collections.unmodifiableMap(names), response.status));
            LostAnswer lost = Optional.ofNullable(lostAnswers.get(action)).map(Queue::poll).orElse(null);
            if (lost != null && lost.how() == LostAnswer.How.SERVER_ERROR) {
                response = new Response(500, response.requestId, error(action,
                        new IamError(500, "ServiceFailure", injectedMessage("ServiceFailure")), response.requestId));
            }
            if (lost != null && lost.how() == LostAnswer.How.TIMEOUT) {
                pause(lost.held()); // the server's handler thread; the client has given up by then
            }
            byte[] answer = response.xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", response.requestId);
            exchange.sendResponseHeaders(response.status, answer.length);
            if (lost != null && lost.how() == LostAnswer.How.RESET) {
                // Half the promised bytes, then the connection closes: the client reads a cut answer.
                exchange.getResponseBody().write(answer, 0, answer.length / 2);
                exchange.getResponseBody().flush();
                throw new IOException("connection reset by FakeIam after " + action + " was carried out");
            }
            exchange.getResponseBody().write(answer);
        }
    }

    private Response respond(HttpExchange exchange, String action, Params params, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        try {
            checkSigned(exchange, action, body);
            checkVersion(action, params);
            if (throttled) {
                throw new IamError(400, "Throttling", injectedMessage("Throttling"));
            }
            IamError fault = Optional.ofNullable(faults.get(action)).map(Queue::poll).orElse(null);
            if (fault != null) {
                throw fault;
            }
            if (CONCURRENTLY_MODIFIED_DELETES.contains(action)
                    && concurrentModifications.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IamError(409, "ConcurrentModification", injectedMessage("ConcurrentModification"));
            }
            String result;
            synchronized (lock) {
                result = dispatch(action, params);
            }
            return new Response(200, requestId, success(action, result, requestId));
        } catch (IamError e) {
            return new Response(e.status, requestId, error(action, e, requestId));
        } catch (RuntimeException e) {
            // A bug in the fake: answer like IAM would, with the cause visible in the message.
            return new Response(500, requestId, error(action, new IamError(500, "ServiceFailure", "FakeIam bug: " + e), requestId));
        }
    }

    private void awaitGate(String action) {
        CountDownLatch closed = gate;
        if (closed == null) {
            return;
        }
        AtomicInteger counted = holdCounts.get(action);
        boolean heldByCount = counted != null && counted.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (!heldByCount && !heldActions.contains("*") && !heldActions.contains(action)) {
            return;
        }
        held.incrementAndGet();
        try {
            closed.await(); // the server's handler thread, never a test thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
    }

    private void delay(String action) {
        Duration latency = latencies.getOrDefault(action, latencies.get("*"));
        if (latency != null) {
            pause(latency);
        }
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis()); // the server's handler thread, never a test thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SigV4 against the known secrets. IAM is global: its scope must name us-east-1
     * ("Credential should be scoped to a valid region" otherwise, JuliaCloud/AWS.jl#565). An SDK
     * client built for {@code Region.AWS_GLOBAL} signs for us-east-1 on the real endpoint, but with
     * an endpoint override (every test, an emulator) it signs for "aws-global" itself, which the
     * fake therefore accepts too. STS is regional, so the fake accepts the region its client was
     * built for.
     */
    private void checkSigned(HttpExchange exchange, String action, byte[] body) {
        boolean sts = STS_ACTIONS.contains(action);
        var request = new SigV4.Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
        try {
            SigV4.verify(request, k -> Optional.ofNullable(secretKeys.get(k)), sts ? "sts" : "iam",
                    region -> sts || region.equals("us-east-1") || region.equals("aws-global"));
        } catch (SigV4.Rejected e) {
            throw new IamError(e.status, e.code, e.getMessage());
        }
    }

    private static void checkVersion(String action, Params params) {
        if (action.isEmpty()) {
            throw new IamError(400, "MissingAction", "Missing Action");
        }
        String expected = STS_ACTIONS.contains(action) ? STS_VERSION : VERSION;
        if (!expected.equals(params.optional("Version").orElse(""))) {
            throw new IamError(400, "InvalidAction", "Could not find operation " + action + " for version "
                    + params.optional("Version").orElse("NO_VERSION_SPECIFIED"));
        }
    }

    private String dispatch(String action, Params p) {
        return switch (action) {
            case "CreateUser" -> createUser(p);
            case "GetUser" -> getUser(p);
            case "ListUserTags" -> listUserTags(p);
            case "TagUser" -> tagUser(p);
            case "UntagUser" -> untagUser(p);
            case "DeleteUser" -> deleteUser(p);
            case "AddUserToGroup" -> addUserToGroup(p);
            case "RemoveUserFromGroup" -> removeUserFromGroup(p);
            case "ListGroupsForUser" -> listGroupsForUser(p);
            case "GetAccountPasswordPolicy" -> getAccountPasswordPolicy();
            case "CreateLoginProfile" -> createLoginProfile(p);
            case "UpdateLoginProfile" -> updateLoginProfile(p);
            case "GetLoginProfile" -> getLoginProfile(p);
            case "DeleteLoginProfile" -> deleteLoginProfile(p);
            case "ListAccessKeys" -> listAccessKeys(p);
            case "DeleteAccessKey" -> deleteAccessKey(p);
            case "GetAccessKeyLastUsed" -> getAccessKeyLastUsed(p);
            case "ListSigningCertificates" -> listSigningCertificates(p);
            case "DeleteSigningCertificate" -> deleteSigningCertificate(p);
            case "ListSSHPublicKeys" -> listSshPublicKeys(p);
            case "DeleteSSHPublicKey" -> deleteSshPublicKey(p);
            case "ListServiceSpecificCredentials" -> listServiceSpecificCredentials(p);
            case "DeleteServiceSpecificCredential" -> deleteServiceSpecificCredential(p);
            case "ListUserPolicies" -> listUserPolicies(p);
            case "PutUserPolicy" -> putUserPolicy(p);
            case "DeleteUserPolicy" -> deleteUserPolicy(p);
            case "ListAttachedUserPolicies" -> listAttachedUserPolicies(p);
            case "AttachUserPolicy" -> attachUserPolicy(p);
            case "DetachUserPolicy" -> detachUserPolicy(p);
            case "CreateVirtualMFADevice" -> createVirtualMfaDevice(p);
            case "EnableMFADevice" -> enableMfaDevice(p);
            case "DeactivateMFADevice" -> deactivateMfaDevice(p);
            case "DeleteVirtualMFADevice" -> deleteVirtualMfaDevice(p);
            case "ListVirtualMFADevices" -> listVirtualMfaDevices(p);
            case "ListMFADevices" -> listMfaDevices(p);
            case "ListAccountAliases" -> listAccountAliases();
            case "SimulatePrincipalPolicy" -> simulatePrincipalPolicy(p);
            case "GetCallerIdentity" -> getCallerIdentity();
            case "GenerateCredentialReport" -> generateCredentialReport();
            case "GetCredentialReport" -> getCredentialReport();
            default -> throw new IamError(400, "InvalidAction",
                    "Could not find operation " + action + " for version " + VERSION);
        };
    }

    // ---- users and groups ----

    private String createUser(Params p) {
        String name = p.name("UserName", 64);
        String path = p.path();
        Map<String, String> tags = p.tags();
        if (users.containsKey(key(name))) {
            throw new IamError(409, "EntityAlreadyExists", "User with name " + name + " already exists.");
        }
        UserState user = new UserState(name, path, "AIDA" + randomId(17), now(), tags, newlyCreated());
        user.permissionsBoundary = p.optional("PermissionsBoundary").orElse(null);
        users.put(key(name), user);
        return user.xml();
    }

    private String getUser(Params p) {
        if (p.optional("UserName").isEmpty()) {
            throw new IamError(400, "ValidationError", "Must specify userName when calling with non-User credentials");
        }
        return existingUser(p).xml();
    }

    private String listUserTags(Params p) {
        UserState user = existingUser(p);
        List<String> members = user.tags.entrySet().stream()
                .map(t -> el("member", val("Key", t.getKey()) + val("Value", t.getValue()))).toList();
        return page(p, "Tags", members);
    }

    private String tagUser(Params p) {
        UserState user = existingUser(p);
        Map<String, String> tags = p.tags();
        if (tags.isEmpty()) {
            throw Params.validation("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }
        Map<String, String> merged = new LinkedHashMap<>(user.tags);
        merged.putAll(tags);
        quota(merged.size() - 1, MAX_TAGS_PER_USER, "TagsPerUser");
        user.tags.putAll(tags);
        return null;
    }

    private String untagUser(Params p) {
        UserState user = existingUser(p);
        List<String> keys = p.members("TagKeys");
        if (keys.isEmpty()) {
            throw Params.validation("Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }
        keys.forEach(user.tags::remove);
        return null;
    }

    private String deleteUser(Params p) {
        UserState user = existingUser(p);
        // What DeleteUser refuses to orphan, in the order the API reference lists it.
        if (user.login != null) {
            throw deleteConflict("must delete login profile first");
        }
        if (!user.accessKeys.isEmpty()) {
            throw deleteConflict("must delete access keys first");
        }
        if (!user.signingCertificates.isEmpty()) {
            throw deleteConflict("must delete signing certificates first");
        }
        if (!user.sshPublicKeys.isEmpty()) {
            throw deleteConflict("must delete SSH public keys first");
        }
        if (!user.serviceCredentials.isEmpty()) {
            throw deleteConflict("must delete service specific credentials first");
        }
        if (!user.mfaSerials.isEmpty()) {
            throw deleteConflict("must delete MFA device first");
        }
        if (!user.inlinePolicies.isEmpty()) {
            throw deleteConflict("must delete policies first");
        }
        if (!user.attachedPolicies.isEmpty()) {
            throw deleteConflict("must detach all policies first");
        }
        if (!user.groups.isEmpty()) {
            throw deleteConflict("must remove users from group first");
        }
        users.remove(key(user.name));
        return null;
    }

    private String addUserToGroup(Params p) {
        GroupState group = existingGroup(p);
        UserState user = existingUser(p);
        if (!user.groups.contains(group.name)) {
            quota(user.groups.size(), MAX_GROUPS_PER_USER, "GroupsPerUser");
        }
        user.groups.add(group.name);
        return null;
    }

    private String removeUserFromGroup(Params p) {
        GroupState group = existingGroup(p);
        existingUser(p).groups.remove(group.name);
        return null;
    }

    private String listGroupsForUser(Params p) {
        UserState user = existingUser(p);
        List<String> members = user.groups.stream().map(g -> groups.get(key(g)).xml()).toList();
        return page(p, "Groups", members);
    }

    /** The named user, or NoSuchEntity; a user {@link #hideNewEntities} still hides counts as missing. */
    private UserState existingUser(Params p) {
        return visibleUser(p.name("UserName", 64));
    }

    /** UserName if given, else the caller's own user, as IAM resolves it from the signing key. */
    private UserState existingUserOrCaller(Params p) {
        if (p.optional("UserName").isPresent()) {
            return existingUser(p);
        }
        String caller = callerArn;
        if (!caller.contains(":user/")) {
            // A role session has no user of its own to fall back on.
            throw new IamError(400, "ValidationError", "Must specify userName when calling with non-User credentials");
        }
        return visibleUser(caller.substring(caller.lastIndexOf('/') + 1));
    }

    private UserState visibleUser(String name) {
        UserState user = users.get(key(name));
        if (user == null || user.fresh.stillHidden(clock.instant())) {
            throw new IamError(404, "NoSuchEntity", "The user with name " + name + " cannot be found.");
        }
        return user;
    }

    /** For Java helpers: consistency switches do not apply to the test's own set-up. */
    private UserState knownUser(String name) {
        UserState user = users.get(key(name));
        if (user == null) {
            throw new IamError(404, "NoSuchEntity", "The user with name " + name + " cannot be found.");
        }
        return user;
    }

    private GroupState existingGroup(Params p) {
        String name = p.name("GroupName", 128);
        GroupState group = groups.get(key(name));
        if (group == null) {
            throw noSuchGroup(name);
        }
        return group;
    }

    private static IamError noSuchGroup(String name) {
        return new IamError(404, "NoSuchEntity", "The group with name " + name + " cannot be found.");
    }

    private static IamError deleteConflict(String what) {
        return new IamError(409, "DeleteConflict", "Cannot delete entity, " + what + ".");
    }

    private static void quota(int current, int max, String name) {
        if (current >= max) {
            throw new IamError(409, "LimitExceeded", "Cannot exceed quota for " + name + ": " + max);
        }
    }

    private Freshness newlyCreated() {
        return new Freshness(hideRequests, hideDuration.isZero() ? null : clock.instant().plus(hideDuration));
    }

    // ---- passwords ----

    private String getAccountPasswordPolicy() {
        if (passwordPolicy == null) {
            throw new IamError(404, "NoSuchEntity",
                    "The Password Policy with domain name " + ACCOUNT_ID + " cannot be found.");
        }
        return el("PasswordPolicy",
                val("MinimumPasswordLength", passwordPolicy.minimumLength())
                        + val("RequireSymbols", passwordPolicy.requireSymbols())
                        + val("RequireNumbers", passwordPolicy.requireNumbers())
                        + val("RequireUppercaseCharacters", passwordPolicy.requireUppercase())
                        + val("RequireLowercaseCharacters", passwordPolicy.requireLowercase())
                        + val("AllowUsersToChangePassword", passwordPolicy.allowUsersToChangePassword())
                        + val("ExpirePasswords", false));
    }

    private String createLoginProfile(Params p) {
        UserState user = existingUser(p);
        String password = p.required("Password");
        if (user.login != null) {
            throw new IamError(409, "EntityAlreadyExists", "Login Profile for user " + user.name + " already exists.");
        }
        checkPassword(password);
        user.login = new LoginProfile(now(), p.bool("PasswordResetRequired", false), password);
        user.passwordChanged = now();
        lastPasswords.put(key(user.name), password);
        SecretLedger.record(password);
        return user.login.xml(user.name);
    }

    private String updateLoginProfile(Params p) {
        UserState user = existingLogin(p);
        Optional<String> password = p.optional("Password");
        password.ifPresent(this::checkPassword);
        boolean resetRequired = p.bool("PasswordResetRequired", user.login.passwordResetRequired());
        user.login = new LoginProfile(user.login.created(), resetRequired, password.orElse(user.login.password()));
        password.ifPresent(pw -> {
            user.passwordChanged = now();
            lastPasswords.put(key(user.name), pw);
            SecretLedger.record(pw);
        });
        return null;
    }

    private String getLoginProfile(Params p) {
        UserState user = existingLogin(p);
        return user.login.xml(user.name);
    }

    private String deleteLoginProfile(Params p) {
        existingLogin(p).login = null;
        return null;
    }

    private UserState existingLogin(Params p) {
        UserState user = existingUser(p);
        if (user.login == null) {
            throw new IamError(404, "NoSuchEntity", "Login Profile for User " + user.name + " cannot be found.");
        }
        return user;
    }

    /** IAM's check; without a policy its default: 8 characters, three of four character classes. */
    private void checkPassword(String password) {
        problemWith(password, passwordPolicy).ifPresent(problem -> {
            throw new IamError(400, "PasswordPolicyViolation", problem); // never echoes the password
        });
    }

    static Optional<String> problemWith(String password, PasswordPolicy policy) {
        if (password.isEmpty() || password.length() > 128) {
            return Optional.of("Password should have between 1 and 128 characters");
        }
        boolean upper = password.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
        boolean lower = password.chars().anyMatch(c -> c >= 'a' && c <= 'z');
        boolean number = password.chars().anyMatch(c -> c >= '0' && c <= '9');
        boolean symbol = password.chars().anyMatch(c -> PASSWORD_SYMBOLS.indexOf(c) >= 0);
        if (policy == null) {
            int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (number ? 1 : 0) + (symbol ? 1 : 0);
            if (password.length() < 8) {
                return Optional.of("Password should have a minimum length of 8");
            }
            return classes >= 3 ? Optional.empty() : Optional.of("Password should have at least three of: "
                    + "uppercase letters, lowercase letters, numbers, symbols");
        }
        if (password.length() < policy.minimumLength()) {
            return Optional.of("Password should have a minimum length of " + policy.minimumLength());
        }
        if (policy.requireUppercase() && !upper) {
            return Optional.of("Password should have at least one uppercase letter");
        }
        if (policy.requireLowercase() && !lower) {
            return Optional.of("Password should have at least one lowercase letter");
        }
        if (policy.requireNumbers() && !number) {
            return Optional.of("Password should have at least one number");
        }
        if (policy.requireSymbols() && !symbol) {
            return Optional.of("Password should have at least one symbol");
        }
        return Optional.empty();
    }

    // ---- credentials: access keys, signing certificates, SSH keys, service-specific ----

    private String listAccessKeys(Params p) {
        UserState user = existingUserOrCaller(p);
        List<String> members = user.accessKeys.values().stream().map(k -> el("member", val("UserName", user.name)
                + val("AccessKeyId", k.id()) + val("Status", "Active") + val("CreateDate", k.created()))).toList();
        return page(p, "AccessKeyMetadata", members);
    }

    /** Who holds the key and when it was last used: no LastUsedDate, and N/A for service and region, when never. */
    private String getAccessKeyLastUsed(Params p) {
        String id = p.id("AccessKeyId", 16);
        UserState holder = users.values().stream().filter(u -> u.accessKeys.containsKey(id)).findFirst()
                .orElseThrow(() -> new IamError(404, "NoSuchEntity", "The Access Key with id " + id + " cannot be found."));
        CredentialReports.LastUse used = accessKeysUsed.get(id);
        return val("UserName", holder.name) + el("AccessKeyLastUsed", used == null
                ? val("ServiceName", "N/A") + val("Region", "N/A")
                : val("LastUsedDate", used.at()) + val("ServiceName", used.service()) + val("Region", used.region()));
    }

    private String deleteAccessKey(Params p) {
        String id = p.id("AccessKeyId", 16);
        UserState user = existingUserOrCaller(p);
        if (user.accessKeys.remove(id) == null) {
            throw new IamError(404, "NoSuchEntity", "The Access Key with id " + id + " cannot be found.");
        }
        return null;
    }

    private String listSigningCertificates(Params p) {
        UserState user = existingUserOrCaller(p);
        List<String> members = user.signingCertificates.values().stream().map(c -> el("member", val("UserName", user.name)
                + val("CertificateId", c.id()) + val("CertificateBody", c.body()) + val("Status", "Active")
                + val("UploadDate", c.created()))).toList();
        return page(p, "Certificates", members);
    }

    private String deleteSigningCertificate(Params p) {
        String id = p.id("CertificateId", 24);
        UserState user = existingUserOrCaller(p);
        if (user.signingCertificates.remove(id) == null) {
            throw new IamError(404, "NoSuchEntity", "The Certificate with id " + id + " cannot be found.");
        }
        return null;
    }

    private String listSshPublicKeys(Params p) {
        UserState user = existingUserOrCaller(p);
        List<String> members = user.sshPublicKeys.values().stream().map(k -> el("member", val("UserName", user.name)
                + val("SSHPublicKeyId", k.id()) + val("Status", "Active") + val("UploadDate", k.created()))).toList();
        return page(p, "SSHPublicKeys", members);
    }

    private String deleteSshPublicKey(Params p) {
        String id = p.id("SSHPublicKeyId", 20);
        UserState user = existingUser(p); // UserName is required here, unlike the other credential calls
        if (user.sshPublicKeys.remove(id) == null) {
            throw new IamError(404, "NoSuchEntity", "The Public Key with id " + id + " cannot be found.");
        }
        return null;
    }

    private String listServiceSpecificCredentials(Params p) {
        Optional<String> service = p.optional("ServiceName");
        service.ifPresent(FakeIam::supportedCredentialService);
        boolean allUsers = p.bool("AllUsers", false);
        if (allUsers && p.optional("UserName").isPresent()) {
            throw new IamError(400, "InvalidInput", "AllUsers cannot be specified together with UserName.");
        }
        List<UserState> owners = allUsers ? List.copyOf(users.values()) : List.of(existingUserOrCaller(p));
        List<String> members = new ArrayList<>();
        for (UserState user : owners) {
            user.serviceCredentials.values().stream()
                    .filter(c -> service.isEmpty() || service.get().equals(c.serviceName()))
                    .forEach(c -> members.add(el("member", val("UserName", user.name) + val("Status", "Active")
                            + val("ServiceUserName", c.serviceUserName()) + val("CreateDate", c.created())
                            + val("ServiceSpecificCredentialId", c.id()) + val("ServiceName", c.serviceName()))));
        }
        return page(p, "ServiceSpecificCredentials", members);
    }

    private String deleteServiceSpecificCredential(Params p) {
        String id = p.id("ServiceSpecificCredentialId", 20);
        UserState user = existingUserOrCaller(p);
        if (user.serviceCredentials.remove(id) == null) {
            throw new IamError(404, "NoSuchEntity", "The Service Specific Credential with id " + id + " cannot be found.");
        }
        return null;
    }

    private static void supportedCredentialService(String service) {
        if (!CREDENTIAL_SERVICES.contains(service)) {
            throw new IamError(404, "NotSupportedService",
                    "No such service " + service + " is supported for Service Specific Credentials");
        }
    }

    // ---- policies ----

    private String listUserPolicies(Params p) {
        UserState user = existingUser(p);
        return page(p, "PolicyNames", user.inlinePolicies.keySet().stream().map(n -> val("member", n)).toList());
    }

    private String putUserPolicy(Params p) {
        UserState user = existingUser(p);
        putInlinePolicy(user, p.name("PolicyName", 128), p.required("PolicyDocument"));
        return null;
    }

    private void putInlinePolicy(UserState user, String name, String document) {
        parsePolicy(document);
        int others = user.inlinePolicies.entrySet().stream().filter(e -> !e.getKey().equals(name))
                .mapToInt(e -> PolicyDocument.chargedSize(e.getValue())).sum();
        if (others + PolicyDocument.chargedSize(document) > MAX_INLINE_POLICY_CHARS_PER_USER) {
            throw new IamError(409, "LimitExceeded", "Maximum policy size of " + MAX_INLINE_POLICY_CHARS_PER_USER
                    + " bytes exceeded for user " + user.name);
        }
        user.inlinePolicies.put(name, document);
    }

    private static PolicyDocument parsePolicy(String document) {
        try {
            return PolicyDocument.parse(document);
        } catch (IllegalArgumentException e) {
            throw new IamError(400, "MalformedPolicyDocument", e.getMessage());
        }
    }

    private String deleteUserPolicy(Params p) {
        UserState user = existingUser(p);
        String name = p.name("PolicyName", 128);
        if (user.inlinePolicies.remove(name) == null) {
            throw new IamError(404, "NoSuchEntity", "The user policy with name " + name + " cannot be found.");
        }
        return null;
    }

    private String listAttachedUserPolicies(Params p) {
        UserState user = existingUser(p);
        String prefix = p.optional("PathPrefix").orElse("/");
        List<String> members = user.attachedPolicies.stream().map(managedPolicies::get)
                .filter(policy -> policy.path().startsWith(prefix))
                .map(policy -> el("member", val("PolicyName", policy.name()) + val("PolicyArn", policy.arn()))).toList();
        return page(p, "AttachedPolicies", members);
    }

    private String attachUserPolicy(Params p) {
        UserState user = existingUser(p);
        attach(user, p.required("PolicyArn"));
        return null;
    }

    private void attach(UserState user, String policyArn) {
        ManagedPolicy policy = existingPolicy(policyArn);
        if (!user.attachedPolicies.contains(policy.arn())) {
            quota(user.attachedPolicies.size(), MAX_MANAGED_POLICIES_PER_USER, "PoliciesPerUser");
        }
        user.attachedPolicies.add(policy.arn()); // attaching twice is not an error
    }

    private String detachUserPolicy(Params p) {
        UserState user = existingUser(p);
        String arn = validPolicyArn(p.required("PolicyArn"));
        if (!user.attachedPolicies.remove(arn)) {
            throw new IamError(404, "NoSuchEntity", "Policy " + arn + " was not found.");
        }
        return null;
    }

    private ManagedPolicy existingPolicy(String arn) {
        ManagedPolicy policy = managedPolicies.get(validPolicyArn(arn));
        if (policy == null) {
            throw new IamError(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
        }
        return policy;
    }

    private static String validPolicyArn(String arn) {
        if (arn.length() < 20 || arn.length() > 2048 || !POLICY_ARN.matcher(arn).matches()) {
            throw new IamError(400, "InvalidInput", "ARN " + arn + " is not valid.");
        }
        return arn;
    }

    // ---- MFA ----

    private String createVirtualMfaDevice(Params p) {
        String name = p.name("VirtualMFADeviceName", 226);
        String path = p.path();
        boolean nameTaken = devicesBySerial.values().stream().anyMatch(d -> key(d.name).equals(key(name)));
        if (nameTaken) {
            throw new IamError(409, "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.");
        }
        DeviceState device = new DeviceState(DeviceType.VIRTUAL, name, "arn:aws:iam::" + ACCOUNT_ID + ":mfa" + path + name,
                newSeed());
        device.fresh = newlyCreated();
        devicesBySerial.put(device.serial, device);
        // AWS sends the Base32 text base64-encoded (a blob); the SDK decodes it back to that text.
        String seedBlob = Base64.getEncoder().encodeToString(device.seed.getBytes(StandardCharsets.US_ASCII));
        return el("VirtualMFADevice", val("SerialNumber", device.serial) + val("Base32StringSeed", seedBlob));
    }

    /** 40 random bytes as 64 Base32 characters, like IAM's seeds. */
    private String newSeed() {
        byte[] bytes = new byte[40];
        random.nextBytes(bytes);
        return new Base32().encodeAsString(bytes);
    }

    private String enableMfaDevice(Params p) {
        UserState user = existingUser(p);
        DeviceState device = existingDevice(p);
        if (device.fresh.stillHidden(clock.instant())) {
            throw new IamError(409, "EntityTemporarilyUnmodifiable", "MFA device " + device.serial
                    + " is temporarily unmodifiable. Try again later.");
        }
        String code1 = p.code("AuthenticationCode1");
        String code2 = p.code("AuthenticationCode2");
        if (device.user != null) {
            throw new IamError(409, "EntityAlreadyExists", "MFA Device is already in use.");
        }
        quota(user.mfaSerials.size(), MAX_MFA_DEVICES_PER_USER, "MFADevicesPerUser");
        OptionalLong step = matchingStep(device.seed, code1, code2);
        if (step.isEmpty() || !device.usedSteps.add(step.getAsLong())) {
            throw new IamError(403, "InvalidAuthenticationCode", "Authentication code for device is not valid.");
        }
        device.user = user;
        device.enabled = now();
        user.mfaSerials.add(device.serial);
        return null;
    }

    /** Code 1 at step t and code 2 at t+1, for t a little before or after now, as IAM tolerates drift. */
    private OptionalLong matchingStep(String seed, String code1, String code2) {
        long now = Totp.step(clock.instant());
        for (long t = now - 2; t <= now + 1; t++) {
            if (Totp.code(seed, Totp.startOf(t)).equals(code1) && Totp.code(seed, Totp.startOf(t + 1)).equals(code2)) {
                return OptionalLong.of(t);
            }
        }
        return OptionalLong.empty();
    }

    /** Virtual devices go back to unassigned; hardware tokens and security keys leave the user (and the fake). */
    private String deactivateMfaDevice(Params p) {
        UserState user = existingUser(p);
        String serial = p.required("SerialNumber");
        DeviceState device = device(serial);
        if (device == null || device.user != user || device.fresh.stillHidden(clock.instant())) {
            throw new IamError(404, "NoSuchEntity", "MFA Device with serial number " + serial
                    + " does not exist for user " + user.name + ".");
        }
        user.mfaSerials.remove(serial);
        if (device.type == DeviceType.VIRTUAL) {
            device.user = null;
            device.enabled = null;
        } else {
            otherDevices.remove(serial);
        }
        return null;
    }

    private String deleteVirtualMfaDevice(Params p) {
        DeviceState device = existingDevice(p);
        if (device.fresh.stillHidden(clock.instant())) {
            throw noSuchVirtualDevice(device.serial);
        }
        if (device.user != null) {
            throw new IamError(409, "DeleteConflict", "MFA Device is still in use.");
        }
        devicesBySerial.remove(device.serial);
        return null;
    }

    /** A virtual device only: hardware tokens and security keys are not deletable this way. */
    private DeviceState existingDevice(Params p) {
        String serial = p.required("SerialNumber");
        DeviceState device = devicesBySerial.get(serial);
        if (device == null) {
            throw noSuchVirtualDevice(serial);
        }
        return device;
    }

    private static IamError noSuchVirtualDevice(String serial) {
        return new IamError(404, "NoSuchEntity", "VirtualMFADevice with serial number " + serial + " does not exist.");
    }

    private DeviceState device(String serial) {
        DeviceState device = devicesBySerial.get(serial);
        return device != null ? device : otherDevices.get(serial);
    }

    private String listVirtualMfaDevices(Params p) {
        String status = p.optional("AssignmentStatus").orElse("Any");
        if (!Set.of("Assigned", "Unassigned", "Any").contains(status)) {
            throw new IamError(400, "ValidationError", "Value '" + status + "' at 'assignmentStatus' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]");
        }
        List<String> members = new ArrayList<>();
        for (DeviceState d : devicesBySerial.values()) {
            boolean assigned = d.user != null;
            if (status.equals("Any") || status.equals("Assigned") == assigned) {
                members.add(el("member", val("SerialNumber", d.serial)
                        + (assigned ? d.user.xml() + val("EnableDate", d.enabled) : "")));
            }
        }
        return page(p, "VirtualMFADevices", members);
    }

    private String listMfaDevices(Params p) {
        UserState user = existingUserOrCaller(p);
        List<String> members = user.mfaSerials.stream().map(serial -> el("member", val("UserName", user.name)
                + val("SerialNumber", serial) + val("EnableDate", device(serial).enabled))).toList();
        return page(p, "MFADevices", members);
    }

    private String listAccountAliases() {
        return el("AccountAliases", accountAlias == null ? "" : val("member", accountAlias)) + val("IsTruncated", false);
    }

    // ---- the credential report ----

    /** When the fake account and its root user were made, as the report's first row says. */
    static final Instant ACCOUNT_CREATED = Instant.parse("2014-09-01T20:45:40Z");

    private String generateCredentialReport() {
        CredentialReports.State state = credentialReports.generate(now(),
                new CredentialReports.Root("arn:aws:iam::" + ACCOUNT_ID + ":root", ACCOUNT_CREATED, null, true),
                () -> users.values().stream().map(u -> u.reportRow(accessKeysUsed)).toList());
        String description = CredentialReports.description(state);
        return val("State", state) + (description == null ? "" : val("Description", description));
    }

    private String getCredentialReport() {
        try {
            CredentialReports.Report report = credentialReports.get(now());
            return val("Content", report.base64()) + val("ReportFormat", "text/csv") + val("GeneratedTime", report.generated());
        } catch (CredentialReports.Refused e) {
            throw new IamError(e.status, e.code, e.getMessage());
        }
    }

    // ---- doctor: who am I, what may I do ----

    private String getCallerIdentity() {
        String arn = callerArn;
        return val("Arn", arn) + val("UserId", "AIDA" + ACCOUNT_ID + "EXAMPLE") + val("Account", ACCOUNT_ID);
    }

    /** Every action is allowed unless {@link #denyAction} named it; the resources are echoed, not evaluated. */
    private String simulatePrincipalPolicy(Params p) {
        String source = p.required("PolicySourceArn");
        if (!SIMULATABLE_ARN.matcher(source).matches()) {
            // IAM refuses STS session ARNs here: it needs the role, user or group ARN.
            throw new IamError(400, "InvalidInput", "Invalid ARN for the policy source: " + source);
        }
        List<String> actions = p.members("ActionNames");
        if (actions.isEmpty()) {
            throw Params.validation("Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
        }
        List<String> resources = p.members("ResourceArns");
        simulatedPrincipals.add(source);
        List<String> members = new ArrayList<>();
        for (String resource : resources.isEmpty() ? List.of("*") : resources) {
            for (String action : actions) {
                String decision = deniedActions.contains(action.toLowerCase(Locale.ROOT)) ? "implicitDeny" : "allowed";
                members.add(el("member", el("MatchedStatements", "") + el("MissingContextValues", "")
                        + val("EvalResourceName", resource) + val("EvalDecision", decision)
                        + val("EvalActionName", action)));
            }
        }
        return page(p, "EvaluationResults", members);
    }

    // ---- helpers ----

    /**
     * One page of a list: at most MaxItems (1..1000, default 100) and at most the fake's page size,
     * with IsTruncated and, when truncated, the Marker of the next page (opaque to the caller).
     */
    private String page(Params p, String element, List<String> members) {
        int maxItems = p.maxItems();
        int from = p.optional("Marker").map(FakeIam::offsetOf).orElse(0);
        if (from > members.size()) {
            throw new IamError(400, "InvalidInput", "Invalid Marker.");
        }
        int to = Math.min(members.size(), from + Math.min(maxItems, pageSize));
        boolean truncated = to < members.size();
        return el(element, String.join("", members.subList(from, to))) + val("IsTruncated", truncated)
                + (truncated ? val("Marker", markerOf(to)) : "");
    }

    private static String markerOf(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("fake-iam:" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    private static int offsetOf(String marker) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.US_ASCII);
            if (text.startsWith("fake-iam:")) {
                return Integer.parseInt(text.substring("fake-iam:".length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a marker this fake issued
        }
        throw new IamError(400, "InvalidInput", "Invalid Marker.");
    }

    /** Runs a Java set-up helper under the lock; IAM's refusals become IllegalStateException naming the AWS code. */
    private <T> T helper(Supplier<T> body) {
        synchronized (lock) {
            try {
                return body.get();
            } catch (IamError e) {
                throw new IllegalStateException(e.code + ": " + e.getMessage());
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String namespace(String action) {
        return STS_ACTIONS.contains(action) ? STS_NAMESPACE : NAMESPACE;
    }

    private static String success(String action, String result, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<" + action + "Response xmlns=\"" + namespace(action) + "\">"
                + (result == null ? "" : el(action + "Result", result))
                + el("ResponseMetadata", val("RequestId", requestId))
                + "</" + action + "Response>";
    }

    private static String error(String action, IamError e, String requestId) {
        String type = e.status >= 500 ? "Receiver" : "Sender";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ErrorResponse xmlns=\"" + namespace(action) + "\">"
                + el("Error", val("Type", type) + val("Code", e.code) + val("Message", e.getMessage()))
                + val("RequestId", requestId)
                + "</ErrorResponse>";
    }

    /** An element around {@code markup} built here. */
    private static String el(String name, CharSequence markup) {
        return "<" + name + ">" + markup + "</" + name + ">";
    }

    /** An element holding a plain value, escaped. */
    private static String val(String name, Object value) {
        return el(name, escape(String.valueOf(value)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static String tagsXml(Map<String, String> tags) {
        StringBuilder members = new StringBuilder();
        tags.forEach((k, v) -> members.append(el("member", val("Key", k) + val("Value", v))));
        return members.toString();
    }

    private record Response(int status, String requestId, String xml) {
    }

    /** An AWS error answer: thrown by an action, turned into ErrorResponse XML. */
    private static final class IamError extends RuntimeException {
        final int status;
        final String code;

        IamError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** How long a new entity stays invisible: a number of requests naming it, and/or until an instant. */
    private static final class Freshness {
        static final Freshness NONE = new Freshness(0, null);
        private int requests;
        private final Instant until;

        Freshness(int requests, Instant until) {
            this.requests = requests;
            this.until = until;
        }

        /** Called once per request that names the entity; each call uses up one request of invisibility. */
        boolean stillHidden(Instant now) {
            if (requests > 0) {
                requests--;
                return true;
            }
            return until != null && now.isBefore(until);
        }
    }

    private static final class UserState {
        final String name;
        final String path;
        final String id;
        final Instant created;
        final Map<String, String> tags;
        final Freshness fresh;
        final Set<String> groups = new LinkedHashSet<>();
        final Set<String> mfaSerials = new LinkedHashSet<>();
        final Map<String, Credential> accessKeys = new LinkedHashMap<>();
        final Map<String, Credential> signingCertificates = new LinkedHashMap<>();
        final Map<String, Credential> sshPublicKeys = new LinkedHashMap<>();
        final Map<String, ServiceCredential> serviceCredentials = new LinkedHashMap<>();
        final Map<String, String> inlinePolicies = new LinkedHashMap<>();
        final Set<String> attachedPolicies = new LinkedHashSet<>();
        LoginProfile login;
        String permissionsBoundary;
        Instant passwordLastUsed;
        /** When the console password was last set (created, updated or changed by the user). */
        Instant passwordChanged;

        UserState(String name, String path, String id, Instant created, Map<String, String> tags, Freshness fresh) {
            this.name = name;
            this.path = path;
            this.id = id;
            this.created = created;
            this.tags = new LinkedHashMap<>(tags);
            this.fresh = fresh;
        }

        String arn() {
            return "arn:aws:iam::" + ACCOUNT_ID + ":user" + path + name;
        }

        String xml() {
            return el("User", val("Path", path) + val("UserName", name)
                    + val("UserId", id) + val("Arn", arn()) + val("CreateDate", created)
                    + (passwordLastUsed == null ? "" : val("PasswordLastUsed", passwordLastUsed))
                    + (permissionsBoundary == null ? "" : el("PermissionsBoundary",
                    val("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
                            + val("PermissionsBoundaryArn", permissionsBoundary)))
                    + (tags.isEmpty() ? "" : el("Tags", tagsXml(tags))));
        }

        User snapshot() {
            return new User(name, path, id, arn(), Map.copyOf(tags), List.copyOf(groups), login != null,
                    login != null && login.passwordResetRequired(), List.copyOf(mfaSerials));
        }

        /** This user's row of the credential report, as of now; {@code used}: when each access key last signed a request. */
        CredentialReports.UserRow reportRow(Map<String, CredentialReports.LastUse> used) {
            List<CredentialReports.AccessKey> keys = accessKeys.values().stream().map(k -> {
                CredentialReports.LastUse use = used.get(k.id());
                return use == null ? new CredentialReports.AccessKey(k.created(), null, null, null)
                        : new CredentialReports.AccessKey(k.created(), use.at(), use.region(), use.service());
            }).toList();
            return new CredentialReports.UserRow(name, arn(), created, login != null, passwordLastUsed, passwordChanged,
                    !mfaSerials.isEmpty(), keys, signingCertificates.values().stream().map(Credential::created).toList());
        }

        Holdings holdings() {
            return new Holdings(login != null, List.copyOf(accessKeys.keySet()), List.copyOf(signingCertificates.keySet()),
                    List.copyOf(sshPublicKeys.keySet()), List.copyOf(serviceCredentials.keySet()),
                    List.copyOf(inlinePolicies.keySet()), List.copyOf(attachedPolicies), List.copyOf(groups),
                    List.copyOf(mfaSerials));
        }
    }

    private static final class GroupState {
        final String name;
        final String id;
        final Instant created;
        final Set<String> attachedPolicies = new LinkedHashSet<>();

        GroupState(String name, String id, Instant created) {
            this.name = name;
            this.id = id;
            this.created = created;
        }

        String xml() {
            return el("member", val("Path", "/") + val("GroupName", name) + val("GroupId", id)
                    + val("Arn", "arn:aws:iam::" + ACCOUNT_ID + ":group/" + name) + val("CreateDate", created));
        }
    }

    /** The console password sits here, never in any answer. */
    private record LoginProfile(Instant created, boolean passwordResetRequired, String password) {
        String xml(String userName) {
            return el("LoginProfile", val("UserName", userName) + val("CreateDate", created)
                    + val("PasswordResetRequired", passwordResetRequired));
        }
    }

    /** An access key, signing certificate (with its PEM body) or SSH public key: always Active here. */
    private record Credential(String id, Instant created, String body) {
    }

    private record ServiceCredential(String id, String serviceName, String serviceUserName, Instant created) {
    }

    private record ManagedPolicy(String name, String path, String arn, PolicyDocument document, Instant created) {
    }

    private static final class DeviceState {
        final DeviceType type;
        final String name;
        final String serial;
        /** The TOTP seed; null for a security key. */
        final String seed;
        /** TOTP steps already used to enable this device: a replayed pair is refused. */
        final Set<Long> usedSteps = new HashSet<>();
        Freshness fresh = Freshness.NONE;
        UserState user;
        Instant enabled;

        DeviceState(DeviceType type, String name, String serial, String seed) {
            this.type = type;
            this.name = name;
            this.serial = serial;
            this.seed = seed;
            SecretLedger.record(seed);
        }

        String userName() {
            return user == null ? null : user.name;
        }
    }

    /** The request's form parameters, with IAM's validation of the common shapes. */
    private record Params(Map<String, String> values) {

        static Params of(String rawQuery, byte[] body) {
            Map<String, String> values = new LinkedHashMap<>();
            parseInto(values, rawQuery);
            parseInto(values, new String(body, StandardCharsets.UTF_8));
            return new Params(values);
        }

        private static void parseInto(Map<String, String> values, String form) {
            if (form == null || form.isEmpty()) {
                return;
            }
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(values.get(name));
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> validation("Value null at '" + camel(name)
                    + "' failed to satisfy constraint: Member must not be null"));
        }

        /** A user, group, policy or device name: 1..max characters of [\w+=,.@-]. */
        String name(String param, int max) {
            String value = required(param);
            if (value.isEmpty() || value.length() > max || !NAME.matcher(value).matches()) {
                throw validation("Value '" + value + "' at '" + camel(param) + "' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and length 1 to " + max);
            }
            return value;
        }

        /** A credential id: {@code min}..128 word characters. */
        String id(String param, int min) {
            String value = required(param);
            if (value.length() < min || value.length() > 128 || !ID.matcher(value).matches()) {
                throw validation("Value '" + value + "' at '" + camel(param) + "' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w]+ and length " + min + " to 128");
            }
            return value;
        }

        int maxItems() {
            String value = optional("MaxItems").orElse(String.valueOf(DEFAULT_MAX_ITEMS));
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= 1000) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to IAM's answer
            }
            throw validation("Value '" + value + "' at 'maxItems' failed to satisfy constraint: "
                    + "Member must have value between 1 and 1000");
        }

        String path() {
            String path = optional("Path").orElse("/");
            if (path.length() > 512 || !PATH.matcher(path).matches()) {
                throw validation("Value '" + path + "' at 'path' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
            }
            return path;
        }

        String code(String param) {
            String value = required(param);
            if (!CODE.matcher(value).matches()) {
                // Checked before TOTP, like IAM: a code that is not 6 digits is malformed input.
                throw validation("Value at '" + camel(param) + "' failed to satisfy constraint: "
                        + "Member must have length 6 and satisfy regular expression pattern: [\\d]+");
            }
            return value;
        }

        /** A Query-protocol list: {@code Name.member.1}, {@code Name.member.2}, ... */
        List<String> members(String param) {
            List<String> out = new ArrayList<>();
            for (int n = 1; values.containsKey(param + ".member." + n); n++) {
                out.add(values.get(param + ".member." + n));
            }
            return out;
        }

        boolean bool(String param, boolean otherwise) {
            return optional(param).map(Boolean::parseBoolean).orElse(otherwise);
        }

        Map<String, String> tags() {
            Map<String, String> tags = new LinkedHashMap<>();
            for (int n = 1; values.containsKey("Tags.member." + n + ".Key"); n++) {
                String k = values.get("Tags.member." + n + ".Key");
                String v = values.getOrDefault("Tags.member." + n + ".Value", "");
                if (k.isEmpty() || k.length() > 128 || v.length() > 256) {
                    throw validation("Tag keys must have 1 to 128 characters and values at most 256");
                }
                if (tags.putIfAbsent(k, v) != null) {
                    throw new IamError(400, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
                }
            }
            if (tags.size() > MAX_TAGS_PER_USER) {
                throw new IamError(409, "LimitExceeded", "Cannot exceed quota for TagsPerUser: " + MAX_TAGS_PER_USER);
            }
            return tags;
        }

        static IamError validation(String detail) {
            return new IamError(400, "ValidationError", "1 validation error detected: " + detail);
        }

        private static String camel(String param) {
            return Character.toLowerCase(param.charAt(0)) + param.substring(1);
        }
    }
}
