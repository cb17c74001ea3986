package dev.awsonboard.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awsonboard.onboarding.PasswordPolicy;
import org.apache.commons.codec.binary.Base32;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * An in-process IAM speaking the real Query protocol over HTTP, so the SDK adapter is tested on
 * the wire: form-encoded {@code Action=...&Version=2010-05-08}, XML answers in the IAM namespace,
 * AWS error codes with AWS's HTTP statuses, and real TOTP checking in EnableMFADevice.
 *
 * <p>Thread-safe: the account state sits behind one lock (IAM calls are few and short); latency
 * injection sleeps in the server's handler thread outside that lock.
 */
public final class FakeIam implements AutoCloseable {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String VERSION = "2010-05-08";
    /** STS shares this fake (GetCallerIdentity only), with its own API version and namespace. */
    public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static final String STS_VERSION = "2011-06-15";
    public static final String DEFAULT_CALLER_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":user/onboard-bot";
    private static final Set<String> STS_ACTIONS = Set.of("GetCallerIdentity");
    private static final Pattern SIMULATABLE_ARN = Pattern.compile("arn:aws[\\w-]*:iam::\\d{12}:(user|role|group)/.+");
    /** What IAM accepts as a symbol in a password. */
    static final String PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";
    static final int MAX_MFA_DEVICES_PER_USER = 8;
    static final int MAX_TAGS_PER_USER = 50;

    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final Pattern CODE = Pattern.compile("\\d{6}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** A user as a test sees it. */
    public record User(String name, String path, String userId, String arn, Map<String, String> tags,
                       List<String> groups, boolean loginProfile, boolean passwordResetRequired,
                       List<String> mfaDevices) {
    }

    /** A virtual MFA device; {@code assignedUser} is null while unassigned. */
    public record VirtualDevice(String serial, String assignedUser) {
    }

    private final Clock clock;
    private final Random random;
    private final HttpServer server;
    private final ExecutorService executor;

    private final Object lock = new Object();
    // Keyed by lower-cased name: IAM names are unique ignoring case.
    private final Map<String, UserState> users = new LinkedHashMap<>();
    private final Map<String, String> groups = new LinkedHashMap<>();
    private final Map<String, DeviceState> devicesBySerial = new LinkedHashMap<>();
    private final Map<String, String> lastPasswords = new HashMap<>();
    private PasswordPolicy passwordPolicy;
    private String accountAlias;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Queue<IamError>> faults = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Set<String> deniedActions = ConcurrentHashMap.newKeySet();
    private final List<String> simulatedPrincipals = Collections.synchronizedList(new ArrayList<>());
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- account set-up for tests ----

    public void createGroup(String name) {
        synchronized (lock) {
            groups.put(key(name), name);
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

    /** Requests for {@code action} that reached the server, failed ones included. */
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

    public List<VirtualDevice> virtualMfaDevices() {
        synchronized (lock) {
            return devicesBySerial.values().stream().map(d -> new VirtualDevice(d.serial, d.userName())).toList();
        }
    }

    /** The password last accepted for {@code user} by Create/UpdateLoginProfile, or null if none was. */
    /** The permissions boundary ARN CreateUser set on the user, or null. */
    public String permissionsBoundaryOf(String user) {
        synchronized (this) {
            UserState u = users.get(key(user));
            return u == null ? null : u.permissionsBoundary;
        }
    }

    public String lastPasswordSetFor(String user) {
        synchronized (lock) {
            return lastPasswords.get(key(user));
        }
    }

    /** The Base32 seed of an existing virtual device. */
    public String seedOf(String serial) {
        synchronized (lock) {
            DeviceState device = devicesBySerial.get(serial);
            if (device == null) {
                throw new IllegalArgumentException("no virtual MFA device " + serial + " in the fake");
            }
            return device.seed;
        }
    }

    // ---- fault injection ----

    /** The next {@code times} requests for {@code action} fail with this AWS error code and HTTP status. */
    public void failNext(String action, int times, String errorCode, int httpStatus) {
        Queue<IamError> queue = faults.computeIfAbsent(action, a -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < times; i++) {
            queue.add(new IamError(httpStatus, errorCode, injectedMessage(errorCode)));
        }
    }

    /** Every later request for {@code action} is answered only after {@code delay}. */
    public void setLatency(String action, Duration delay) {
        latencies.put(action, delay);
    }

    private static String injectedMessage(String code) {
        return switch (code) {
            case "Throttling" -> "Rate exceeded";
            case "ServiceFailure" -> "Request processing has failed due to some unknown error, exception or failure.";
            case "AccessDenied" -> "User: arn:aws:iam::" + ACCOUNT_ID
                    + ":user/onboard-bot is not authorized to perform this action";
            default -> "Injected " + code + " by FakeIam";
        };
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Params params = Params.of(exchange);
            String action = params.optional("Action").orElse("");
            calls.add(action);
            delay(action);
            Response response = respond(exchange, action, params);
            byte[] body = response.xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", response.requestId);
            exchange.sendResponseHeaders(response.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Response respond(HttpExchange exchange, String action, Params params) {
        String requestId = UUID.randomUUID().toString();
        try {
            checkSigned(exchange);
            checkVersion(action, params);
            IamError fault = Optional.ofNullable(faults.get(action)).map(Queue::poll).orElse(null);
            if (fault != null) {
                throw fault;
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

    private void delay(String action) {
        Duration latency = latencies.get(action);
        if (latency == null || latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis()); // the server's handler thread, never a test thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkSigned(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new IamError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (!authorization.startsWith("AWS4-HMAC-SHA256 ") || !authorization.contains("Credential=")
                || !authorization.contains("Signature=")) {
            throw new IamError(403, "IncompleteSignature", "The request signature does not conform to AWS standards.");
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
            case "DeleteUser" -> deleteUser(p);
            case "AddUserToGroup" -> addUserToGroup(p);
            case "RemoveUserFromGroup" -> removeUserFromGroup(p);
            case "GetAccountPasswordPolicy" -> getAccountPasswordPolicy();
            case "CreateLoginProfile" -> createLoginProfile(p);
            case "UpdateLoginProfile" -> updateLoginProfile(p);
            case "GetLoginProfile" -> getLoginProfile(p);
            case "DeleteLoginProfile" -> deleteLoginProfile(p);
            case "CreateVirtualMFADevice" -> createVirtualMfaDevice(p);
            case "EnableMFADevice" -> enableMfaDevice(p);
            case "DeactivateMFADevice" -> deactivateMfaDevice(p);
            case "DeleteVirtualMFADevice" -> deleteVirtualMfaDevice(p);
            case "ListVirtualMFADevices" -> listVirtualMfaDevices(p);
            case "ListMFADevices" -> listMfaDevices(p);
            case "ListAccountAliases" -> listAccountAliases();
            case "SimulatePrincipalPolicy" -> simulatePrincipalPolicy(p);
            case "GetCallerIdentity" -> getCallerIdentity();
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
        UserState user = new UserState(name, path, "AIDA" + randomId(17), now(), tags);
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
        return el("Tags", tagsXml(existingUser(p).tags)) + val("IsTruncated", false);
    }

    private String deleteUser(Params p) {
        UserState user = existingUser(p);
        if (user.login != null) {
            throw deleteConflict("must remove login profile first");
        }
        if (!user.mfaSerials.isEmpty()) {
            throw deleteConflict("must delete MFA device first");
        }
        if (!user.groups.isEmpty()) {
            throw deleteConflict("must remove users from group first");
        }
        users.remove(key(user.name));
        return null;
    }

    private String addUserToGroup(Params p) {
        String group = existingGroup(p);
        existingUser(p).groups.add(group);
        return null;
    }

    private String removeUserFromGroup(Params p) {
        String group = existingGroup(p);
        existingUser(p).groups.remove(group);
        return null;
    }

    private UserState existingUser(Params p) {
        String name = p.name("UserName", 64);
        UserState user = users.get(key(name));
        if (user == null) {
            throw new IamError(404, "NoSuchEntity", "The user with name " + name + " cannot be found.");
        }
        return user;
    }

    private String existingGroup(Params p) {
        String name = p.name("GroupName", 128);
        String group = groups.get(key(name));
        if (group == null) {
            throw new IamError(404, "NoSuchEntity", "The group with name " + name + " cannot be found.");
        }
        return group;
    }

    private static IamError deleteConflict(String what) {
        return new IamError(409, "DeleteConflict", "Cannot delete entity, " + what + ".");
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
                        + val("AllowUsersToChangePassword", true)
                        + val("ExpirePasswords", false));
    }

    private String createLoginProfile(Params p) {
        UserState user = existingUser(p);
        String password = p.required("Password");
        if (user.login != null) {
            throw new IamError(409, "EntityAlreadyExists", "Login Profile for user " + user.name + " already exists.");
        }
        checkPassword(password);
        user.login = new LoginProfile(now(), p.bool("PasswordResetRequired", false));
        lastPasswords.put(key(user.name), password);
        SecretLedger.record(password);
        return user.login.xml(user.name);
    }

    private String updateLoginProfile(Params p) {
        UserState user = existingLogin(p);
        Optional<String> password = p.optional("Password");
        password.ifPresent(this::checkPassword);
        boolean resetRequired = p.bool("PasswordResetRequired", user.login.passwordResetRequired);
        user.login = new LoginProfile(user.login.created, resetRequired);
        password.ifPresent(pw -> {
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

    // ---- MFA ----

    private String createVirtualMfaDevice(Params p) {
        String name = p.name("VirtualMFADeviceName", 226);
        String path = p.path();
        boolean nameTaken = devicesBySerial.values().stream().anyMatch(d -> key(d.name).equals(key(name)));
        if (nameTaken) {
            throw new IamError(409, "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.");
        }
        DeviceState device = new DeviceState(name, "arn:aws:iam::" + ACCOUNT_ID + ":mfa" + path + name, newSeed());
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
        String code1 = p.code("AuthenticationCode1");
        String code2 = p.code("AuthenticationCode2");
        if (device.user != null) {
            throw new IamError(409, "EntityAlreadyExists", "MFA Device is already in use.");
        }
        if (user.mfaSerials.size() >= MAX_MFA_DEVICES_PER_USER) {
            throw new IamError(409, "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: " + MAX_MFA_DEVICES_PER_USER);
        }
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

    private String deactivateMfaDevice(Params p) {
        UserState user = existingUser(p);
        String serial = p.required("SerialNumber");
        DeviceState device = devicesBySerial.get(serial);
        if (device == null || device.user != user) {
            throw new IamError(404, "NoSuchEntity", "MFA Device with serial number " + serial
                    + " does not exist for user " + user.name + ".");
        }
        device.user = null;
        device.enabled = null;
        user.mfaSerials.remove(serial);
        return null;
    }

    private String deleteVirtualMfaDevice(Params p) {
        DeviceState device = existingDevice(p);
        if (device.user != null) {
            throw new IamError(409, "DeleteConflict", "MFA Device is still in use.");
        }
        devicesBySerial.remove(device.serial);
        return null;
    }

    private DeviceState existingDevice(Params p) {
        String serial = p.required("SerialNumber");
        DeviceState device = devicesBySerial.get(serial);
        if (device == null) {
            throw new IamError(404, "NoSuchEntity", "VirtualMFADevice with serial number " + serial + " does not exist.");
        }
        return device;
    }

    private String listVirtualMfaDevices(Params p) {
        String status = p.optional("AssignmentStatus").orElse("Any");
        if (!Set.of("Assigned", "Unassigned", "Any").contains(status)) {
            throw new IamError(400, "ValidationError", "Value '" + status + "' at 'assignmentStatus' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]");
        }
        StringBuilder members = new StringBuilder();
        for (DeviceState d : devicesBySerial.values()) {
            boolean assigned = d.user != null;
            if (status.equals("Any") || status.equals("Assigned") == assigned) {
                members.append(el("member", val("SerialNumber", d.serial)
                        + (assigned ? d.user.xml() + val("EnableDate", d.enabled) : "")));
            }
        }
        return el("VirtualMFADevices", members) + val("IsTruncated", false);
    }

    private String listMfaDevices(Params p) {
        StringBuilder members = new StringBuilder();
        if (p.optional("UserName").isPresent()) {
            UserState user = existingUser(p);
            for (String serial : user.mfaSerials) {
                members.append(el("member", val("UserName", user.name) + val("SerialNumber", serial)
                        + val("EnableDate", devicesBySerial.get(serial).enabled)));
            }
        }
        return el("MFADevices", members) + val("IsTruncated", false);
    }

    private String listAccountAliases() {
        return el("AccountAliases", accountAlias == null ? "" : val("member", accountAlias)) + val("IsTruncated", false);
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
        StringBuilder members = new StringBuilder();
        for (String resource : resources.isEmpty() ? List.of("*") : resources) {
            for (String action : actions) {
                String decision = deniedActions.contains(action.toLowerCase(Locale.ROOT)) ? "implicitDeny" : "allowed";
                members.append(el("member", el("MatchedStatements", "") + el("MissingContextValues", "")
                        + val("EvalResourceName", resource) + val("EvalDecision", decision)
                        + val("EvalActionName", action)));
            }
        }
        return el("EvaluationResults", members) + val("IsTruncated", false);
    }

    // ---- helpers ----

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

    private static final class UserState {
        final String name;
        final String path;
        final String id;
        final Instant created;
        final Map<String, String> tags;
        final Set<String> groups = new LinkedHashSet<>();
        final Set<String> mfaSerials = new LinkedHashSet<>();
        LoginProfile login;
        String permissionsBoundary;

        UserState(String name, String path, String id, Instant created, Map<String, String> tags) {
            this.name = name;
            this.path = path;
            this.id = id;
            this.created = created;
            this.tags = new LinkedHashMap<>(tags);
        }

        String arn() {
            return "arn:aws:iam::" + ACCOUNT_ID + ":user" + path + name;
        }

        String xml() {
            return el("User", val("Path", path) + val("UserName", name)
                    + val("UserId", id) + val("Arn", arn()) + val("CreateDate", created)
                    + (tags.isEmpty() ? "" : el("Tags", tagsXml(tags))));
        }

        User snapshot() {
            return new User(name, path, id, arn(), Map.copyOf(tags), List.copyOf(groups), login != null,
                    login != null && login.passwordResetRequired, List.copyOf(mfaSerials));
        }
    }

    private record LoginProfile(Instant created, boolean passwordResetRequired) {
        String xml(String userName) {
            return el("LoginProfile", val("UserName", userName) + val("CreateDate", created)
                    + val("PasswordResetRequired", passwordResetRequired));
        }
    }

    private static final class DeviceState {
        final String name;
        final String serial;
        final String seed;
        /** TOTP steps already used to enable this device: a replayed pair is refused. */
        final Set<Long> usedSteps = new HashSet<>();
        UserState user;
        Instant enabled;

        DeviceState(String name, String serial, String seed) {
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

        static Params of(HttpExchange exchange) throws IOException {
            Map<String, String> values = new LinkedHashMap<>();
            parseInto(values, exchange.getRequestURI().getRawQuery());
            parseInto(values, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
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

        /** A user, group or device name: 1..max characters of [\w+=,.@-]. */
        String name(String param, int max) {
            String value = required(param);
            if (value.isEmpty() || value.length() > max || !NAME.matcher(value).matches()) {
                throw validation("Value '" + value + "' at '" + camel(param) + "' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and length 1 to " + max);
            }
            return value;
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

        private static IamError validation(String detail) {
            return new IamError(400, "ValidationError", "1 validation error detected: " + detail);
        }

        private static String camel(String param) {
            return Character.toLowerCase(param.charAt(0)) + param.substring(1);
        }
    }
}
