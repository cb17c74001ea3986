package dev.awsonboard.doctor;

import dev.awsonboard.doctor.Requirements.IamAction;
import dev.awsonboard.doctor.Requirements.Resource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PasswordPolicy;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The AWS side: who the credentials are, and whether that principal may make every IAM call the bot makes. */
final class AwsChecks {
    static final String ATTACH_POLICY = "attach deploy/iam-policy.json to the bot's IAM user or role";
    static final String PROBE_NAME = "aws-onboard-doctor";
    static final String NO_CREDENTIALS = "no AWS credentials found (none in the environment, the profile files,"
            + " or from a container or instance role)";
    static final String CHANGE_PASSWORD_FIX = "nothing to do if the bot may attach it (iam:AttachUserPolicy in deploy/iam-policy.json);"
            + " or tick 'Allow users to change their own password' in the account password policy";

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:(aws[\\w-]*):sts::(\\d{12}):assumed-role/([^/]+)/.+");
    private static final Pattern IAM_PRINCIPAL = Pattern.compile("arn:aws[\\w-]*:iam::\\d{12}:(user|role)/.+");

    private final StsClient sts;
    private final IamClient iam;
    private final String iamPath;
    private final List<String> groups;
    private GetCallerIdentityResponse identity;
    private RuntimeException identityFailure;

    /**
     * @param iamPath the configured path of users and MFA devices
     * @param groups  configured groups; the first names the group ARN the permissions are simulated on
     */
    AwsChecks(StsClient sts, IamClient iam, String iamPath, List<String> groups) {
        this.sts = sts;
        this.iam = iam;
        this.iamPath = iamPath;
        this.groups = groups;
    }

    private GetCallerIdentityResponse identity() {
        if (identity == null && identityFailure == null) {
            try {
                identity = sts.getCallerIdentity();
            } catch (RuntimeException e) {
                identityFailure = e;
            }
        }
        if (identityFailure != null) {
            throw identityFailure;
        }
        return identity;
    }

    Check identityCheck() {
        return Check.of("aws identity", name -> {
            try {
                GetCallerIdentityResponse id = identity();
                return CheckResult.ok(name, id.arn() + " (account " + id.account() + ")");
            } catch (SdkException e) {
                boolean unreachable = !(e instanceof AwsServiceException)
                        && !String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("credentials");
                return CheckResult.fail(name, "STS GetCallerIdentity failed: " + describe(e), unreachable
                        ? "check network access to STS (and AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL if set)"
                        : "give the bot valid AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, "
                                + "or an instance/task role (the AWS SDK's default chain)");
            }
        });
    }

    Check permissionsCheck(List<IamAction> required) {
        return Check.of("iam permissions", name -> {
            GetCallerIdentityResponse id;
            try {
                id = identity();
            } catch (SdkException e) {
                return CheckResult.fail(name, "not checked: the AWS identity check failed", "fix the AWS credentials first");
            }
            if (id.arn().endsWith(":root")) {
                return CheckResult.warn(name, "running as the account root user: everything is allowed",
                        "create an IAM user or role for the bot and " + ATTACH_POLICY);
            }
            Optional<String> principal = principalForSimulation(id.arn());
            if (principal.isEmpty()) {
                return CheckResult.warn(name, "cannot simulate policies for " + id.arn(),
                        "run the bot as an IAM user or role and " + ATTACH_POLICY);
            }
            List<String> denied = new ArrayList<>();
            try {
                for (Map.Entry<Simulation, List<String>> group : bySimulation(required).entrySet()) {
                    denied.addAll(denied(principal.get(), id.account(), arnPartition(id.arn()), group.getKey(), group.getValue()));
                }
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                if ("AccessDenied".equals(code)) {
                    return CheckResult.warn(name, "not checked: " + principal.get() + " may not call iam:SimulatePrincipalPolicy",
                            "allow iam:SimulatePrincipalPolicy on the bot's own ARN (deploy/README.md), or check the policy by hand");
                }
                if ("NoSuchEntity".equals(code)) {
                    return CheckResult.warn(name, "not checked: IAM does not know " + principal.get()
                                    + " (a role with a path shows without it in an STS ARN)",
                            "check the policy by hand: " + ATTACH_POLICY);
                }
                return CheckResult.fail(name, "SimulatePrincipalPolicy failed: " + describe(e), ATTACH_POLICY);
            } catch (SdkException e) {
                return CheckResult.fail(name, "SimulatePrincipalPolicy failed: " + describe(e), "check the IAM endpoint and the network");
            }
            if (!denied.isEmpty()) {
                return CheckResult.fail(name, principal.get() + " is denied " + String.join(", ", denied), ATTACH_POLICY);
            }
            return CheckResult.ok(name, "all " + required.size() + " IAM actions allowed for " + principal.get());
        });
    }

    /**
     * Whether a new user can change the one-time password at first sign-in. That takes
     * {@code AllowUsersToChangePassword} in the account password policy, or {@code iam:ChangePassword}
     * on the user (the managed policy IAMUserChangePassword, which the bot attaches); an account with no
     * policy at all does not allow it (docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html).
     */
    Check passwordPolicyCheck() {
        return Check.of("password policy", name -> {
            try {
                identity();
            } catch (SdkException e) {
                return CheckResult.warn(name, "not checked: the AWS identity check failed", "fix the AWS credentials first");
            }
            PasswordPolicy policy;
            try {
                policy = iam.getAccountPasswordPolicy().passwordPolicy();
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                if ("NoSuchEntity".equals(code)) {
                    return CheckResult.warn(name, "the account has no password policy, so users may not change their own"
                            + " password: each new user needs IAMUserChangePassword, which the bot attaches", CHANGE_PASSWORD_FIX);
                }
                return CheckResult.warn(name, "not checked: GetAccountPasswordPolicy failed: " + describe(e), ATTACH_POLICY);
            } catch (SdkException e) {
                return CheckResult.warn(name, "not checked: GetAccountPasswordPolicy failed: " + describe(e),
                        "check the IAM endpoint and the network");
            }
            if (!Boolean.TRUE.equals(policy.allowUsersToChangePassword())) {
                return CheckResult.warn(name, "AllowUsersToChangePassword is off: each new user needs IAMUserChangePassword,"
                        + " which the bot attaches", CHANGE_PASSWORD_FIX);
            }
            return CheckResult.ok(name, "users may change their own password (AllowUsersToChangePassword)"
                    + (policy.minimumPasswordLength() == null ? "" : ", minimum length " + policy.minimumPasswordLength()));
        });
    }

    /** Actions simulated together: the same kind of resource and the same request context. */
    private record Simulation(Resource resource, Map<String, String> context) {
    }

    /**
     * Actions of one resource kind, simulated on a made-up resource of that kind, so resource-scoped policies count,
     * and with the condition keys the bot's requests carry, so condition-limited statements count too.
     */
    private List<String> denied(String principal, String account, String partition, Simulation simulation, List<String> actions) {
        Optional<String> resource = switch (simulation.resource()) {
            case USER -> Optional.of("arn:" + partition + ":iam::" + account + ":user" + iamPath + PROBE_NAME);
            case MFA -> Optional.of("arn:" + partition + ":iam::" + account + ":mfa" + iamPath + PROBE_NAME);
            case GROUP -> Optional.of("arn:" + partition + ":iam::" + account + ":group/"
                    + (groups.isEmpty() ? PROBE_NAME : groups.get(0)));
            case ACCOUNT -> Optional.empty();
        };
        List<ContextEntry> context = simulation.context().entrySet().stream()
                .map(e -> ContextEntry.builder().contextKeyName(e.getKey()).contextKeyValues(e.getValue())
                        .contextKeyType(ContextKeyTypeEnum.STRING).build())
                .toList();
        List<EvaluationResult> results = iam.simulatePrincipalPolicyPaginator(b -> {
            b.policySourceArn(principal).actionNames(actions);
            resource.ifPresent(b::resourceArns);
            if (!context.isEmpty()) {
                b.contextEntries(context);
            }
        }).evaluationResults().stream().toList();
        List<String> denied = new ArrayList<>();
        for (String action : actions) {
            boolean allowed = results.stream()
                    .filter(r -> action.equalsIgnoreCase(r.evalActionName()))
                    .map(EvaluationResult::evalDecision)
                    .reduce((a, b) -> a == PolicyEvaluationDecisionType.ALLOWED ? b : a)
                    .map(d -> d == PolicyEvaluationDecisionType.ALLOWED)
                    .orElse(false);
            if (!allowed) {
                denied.add(action);
            }
        }
        return denied;
    }

    private static Map<Simulation, List<String>> bySimulation(List<IamAction> actions) {
        Map<Simulation, List<String>> out = new LinkedHashMap<>();
        actions.forEach(a -> out.computeIfAbsent(new Simulation(a.resource(), a.context()), r -> new ArrayList<>()).add(a.name()));
        return out;
    }

    /**
     * The ARN SimulatePrincipalPolicy accepts for a caller: an IAM user or role ARN as is; an STS assumed-role
     * session ({@code arn:aws:sts::ACCT:assumed-role/ROLE/session}) as its role ({@code arn:aws:iam::ACCT:role/ROLE});
     * nothing for other principals (root, federated users).
     */
    static Optional<String> principalForSimulation(String callerArn) {
        Matcher m = ASSUMED_ROLE.matcher(callerArn);
        if (m.matches()) {
            return Optional.of("arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3));
        }
        return IAM_PRINCIPAL.matcher(callerArn).matches() ? Optional.of(callerArn) : Optional.empty();
    }

    private static String arnPartition(String arn) {
        String[] parts = arn.split(":", 3);
        return parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "aws";
    }

    static String describe(SdkException e) {
        if (!(e instanceof AwsServiceException) && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            // The SDK lists every provider of its chain and why each failed: a screenful that says "none".
            return NO_CREDENTIALS;
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + "): " + s.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
