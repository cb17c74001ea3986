package dev.awsonboard.doctor;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.conversations.ConversationsInfoResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack side: the token works, it holds every scope, and approvals can reach someone.
 * {@code auth.test} is called once; the token and scope checks read the same answer.
 */
final class SlackChecks {
    static final String SCOPES_HEADER = "x-oauth-scopes";
    static final String REINSTALL = "add it under OAuth & Permissions (api.slack.com/apps > your app) and reinstall the app to the workspace";

    private final MethodsClient methods;
    private AuthTestResponse authTest;
    private RuntimeException authTestFailure;

    SlackChecks(MethodsClient methods) {
        this.methods = methods;
    }

    /** The answer to auth.test, or a failure describing why there is none. */
    private AuthTestResponse authTest() {
        if (authTest == null && authTestFailure == null) {
            try {
                authTest = methods.authTest(r -> r);
            } catch (IOException | SlackApiException | RuntimeException e) {
                authTestFailure = new IllegalStateException(describe(e), e);
            }
        }
        if (authTestFailure != null) {
            throw authTestFailure;
        }
        return authTest;
    }

    boolean tokenWorks() {
        try {
            return authTest().isOk();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Check token() {
        return Check.of("slack token", name -> {
            AuthTestResponse r;
            try {
                r = authTest();
            } catch (IllegalStateException e) {
                return CheckResult.fail(name, "auth.test did not answer: " + e.getMessage(),
                        "check SLACK_API_URL and that this host can reach Slack");
            }
            if (!r.isOk()) {
                return CheckResult.fail(name, "auth.test failed: " + r.getError(),
                        "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...) under OAuth & Permissions; reinstall the app if it was revoked");
            }
            return CheckResult.ok(name, "bot " + r.getUser() + " (" + r.getUserId() + ") in team "
                    + r.getTeam() + " (" + r.getTeamId() + ")");
        });
    }

    Check scopes(List<String> required) {
        return Check.of("slack scopes", name -> {
            AuthTestResponse r;
            try {
                r = authTest();
            } catch (IllegalStateException e) {
                return CheckResult.fail(name, "not checked: the token check failed", "fix the slack token first");
            }
            if (!r.isOk()) {
                return CheckResult.fail(name, "not checked: the token check failed", "fix the slack token first");
            }
            Optional<Set<String>> granted = grantedScopes(r);
            if (granted.isEmpty()) {
                return CheckResult.warn(name, "Slack did not report the token's scopes (no " + SCOPES_HEADER + " header)",
                        "compare OAuth & Permissions > Bot Token Scopes with manifest.yml by hand");
            }
            List<String> missing = required.stream().filter(s -> !granted.get().contains(s)).toList();
            if (!missing.isEmpty()) {
                return CheckResult.fail(name, "missing " + String.join(", ", missing),
                        (missing.size() == 1 ? REINSTALL : REINSTALL.replace("add it", "add them")));
            }
            return CheckResult.ok(name, "all " + required.size() + " bot scopes granted");
        });
    }

    /**
     * Which way Slack reaches the bot. With SLACK_APP_TOKEN: Socket Mode, if {@code apps.connections.open}
     * accepts the token (the URL it hands out is a one-time ticket that lapses unused). Without: HTTP mode,
     * where the config already demanded SLACK_SIGNING_SECRET.
     */
    Check mode(Optional<MethodsClient> appMethods, int port) {
        return Check.of("slack mode", name -> {
            if (appMethods.isEmpty()) {
                return CheckResult.ok(name, "HTTP mode (no SLACK_APP_TOKEN): Slack must reach POST /slack/events on port " + port
                        + " at a public HTTPS URL; requests are checked with SLACK_SIGNING_SECRET");
            }
            AppsConnectionsOpenResponse r;
            try {
                r = call(() -> appMethods.get().appsConnectionsOpen(b -> b));
            } catch (IllegalStateException e) {
                return CheckResult.fail(name, "apps.connections.open did not answer: " + e.getMessage(),
                        "check SLACK_API_URL and that this host can reach Slack");
            }
            if (!r.isOk()) {
                return CheckResult.fail(name, "SLACK_APP_TOKEN was refused by Slack (apps.connections.open: " + r.getError()
                                + "), so the bot cannot start in Socket Mode",
                        "generate an app-level token with scope connections:write (Basic Information > App-Level Tokens),"
                                + " enable Socket Mode for the app; or unset SLACK_APP_TOKEN for HTTP mode");
            }
            return CheckResult.ok(name, "Socket Mode: SLACK_APP_TOKEN opens connections, no public URL needed");
        });
    }

    /** A channel the bot posts to: the bot can see it and is in it. */
    Check channel(String row, String channel, String setting, String purpose) {
        return Check.of(row, name -> {
            if (!tokenWorks()) {
                return CheckResult.fail(name, channel + " not checked: the token check failed", "fix the slack token first");
            }
            ConversationsInfoResponse r = call(() -> methods.conversationsInfo(b -> b.channel(channel)));
            if (!r.isOk()) {
                if ("channel_not_found".equals(r.getError())) {
                    return CheckResult.fail(name, channel + ": channel_not_found (a private channel the bot is not in looks the same)",
                            "check " + setting + " is the channel ID (channel details > bottom), then /invite @aws-onboard in that channel");
                }
                return CheckResult.fail(name, channel + ": conversations.info failed: " + r.getError() + needed(r),
                        "missing_scope".equals(r.getError()) ? REINSTALL : "check " + setting);
            }
            String label = channel + (r.getChannel().getName() == null ? "" : " (#" + r.getChannel().getName() + ")");
            if (r.getChannel().isArchived()) {
                return CheckResult.fail(name, label + " is archived", "unarchive it or set " + setting + " to another channel");
            }
            if (!r.getChannel().isMember()) {
                return CheckResult.fail(name, label + ": the bot is not a member, so it cannot post " + purpose,
                        "/invite @aws-onboard in that channel");
            }
            return CheckResult.ok(name, label + ", the bot is a member");
        });
    }

    /** Without an approval channel requests go to each approver by DM: they must exist. */
    Check approvers(Collection<String> approvers) {
        return Check.of("approvers", name -> {
            if (!tokenWorks()) {
                return CheckResult.fail(name, "not checked: the token check failed", "fix the slack token first");
            }
            List<String> problems = new ArrayList<>();
            List<String> found = new ArrayList<>();
            for (String id : approvers.stream().sorted().toList()) {
                UsersInfoResponse r = call(() -> methods.usersInfo(b -> b.user(id)));
                String problem = personProblem(id, r);
                if (problem != null) {
                    problems.add(problem);
                } else {
                    found.add(id + " (" + r.getUser().getName() + ")");
                }
            }
            if (!problems.isEmpty()) {
                return CheckResult.fail(name, String.join("; ", problems),
                        "set ONBOARD_APPROVERS to active people's member IDs (profile > ... > Copy member ID)");
            }
            return CheckResult.ok(name, "no approval channel; DMs go to " + String.join(", ", found));
        });
    }

    /** Why the person users.info describes cannot approve (unknown, deactivated, a bot), or null when they can. */
    static String personProblem(String id, UsersInfoResponse r) {
        if (!r.isOk()) {
            return id + ": " + r.getError() + needed(r);
        }
        if (r.getUser().isDeleted()) {
            return id + ": deactivated";
        }
        return r.getUser().isBot() ? id + ": is a bot" : null;
    }

    /** The scopes in the {@code x-oauth-scopes} response header, if Slack sent it. */
    static Optional<Set<String>> grantedScopes(SlackApiTextResponse response) {
        Map<String, List<String>> headers = response.getHttpResponseHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(SCOPES_HEADER))
                .findFirst()
                .map(e -> {
                    Set<String> scopes = new LinkedHashSet<>();
                    e.getValue().forEach(v -> Arrays.stream(v.split(",")).map(String::trim)
                            .filter(s -> !s.isEmpty()).forEach(scopes::add));
                    return scopes;
                });
    }

    static String needed(SlackApiTextResponse r) {
        return r.getNeeded() == null ? "" : " (needs " + r.getNeeded() + ")";
    }

    interface SlackCall<T> {
        T call() throws IOException, SlackApiException;
    }

    static <T> T call(SlackCall<T> call) {
        try {
            return call.call();
        } catch (IOException | SlackApiException e) {
            throw new IllegalStateException(describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof SlackApiException s) {
            return "HTTP " + s.getResponse().code() + " " + Optional.ofNullable(s.getError()).map(x -> x.getError()).orElse("");
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
