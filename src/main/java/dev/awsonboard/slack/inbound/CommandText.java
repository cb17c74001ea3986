package dev.awsonboard.slack.inbound;

import dev.awsonboard.lifecycle.model.Kind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What was typed after {@code /aws-onboard}: a verb ({@code reset-mfa}, {@code reset-password},
 * {@code offboard}, {@code link}, {@code unlink}, {@code status}, {@code users}, {@code cancel}, {@code grant},
 * {@code revoke}, {@code help}) with its words, or an
 * onboarding request {@code <iam-user-name> @person [groups=g1,g2] [reason...]}. Mentions arrive
 * escaped ({@code <@U123|alice>}) because the manifest sets {@code should_escape}.
 *
 * @param verb        what is asked; {@link Verb#ONBOARD} when the first word is no verb
 * @param iamUserName the IAM user named, if any
 * @param targetUserId the person mentioned, if any
 * @param requestId   for cancel and revoke
 * @param grantFor    for grant: how long ({@code for 2h})
 */
public record CommandText(Verb verb, Optional<String> iamUserName, Optional<String> targetUserId,
                          List<String> groups, String reason, Optional<String> requestId, Optional<Duration> grantFor) {

    public CommandText(Verb verb, Optional<String> iamUserName, Optional<String> targetUserId, List<String> groups, String reason,
                       Optional<String> requestId) {
        this(verb, iamUserName, targetUserId, groups, reason, requestId, Optional.empty());
    }
    private static final Pattern MENTION = Pattern.compile("<@([UW][A-Z0-9]+)(?:\\|[^>]*)?>");
    private static final Pattern GROUPS = Pattern.compile("(?i)groups?=(.*)");

    public enum Verb {
        HELP, ONBOARD, RESET_MFA, RESET_PASSWORD, OFFBOARD, LINK, UNLINK, STATUS, CANCEL, GRANT, REVOKE,
        /** Approvers: the account's IAM users. */
        USERS;

        /** The request kind this verb asks for, if it asks for one. */
        public Optional<Kind> kind() {
            return switch (this) {
                case ONBOARD -> Optional.of(Kind.ONBOARD);
                case RESET_MFA -> Optional.of(Kind.RESET_MFA);
                case RESET_PASSWORD -> Optional.of(Kind.RESET_PASSWORD);
                case OFFBOARD -> Optional.of(Kind.OFFBOARD);
                case LINK -> Optional.of(Kind.LINK);
                case UNLINK -> Optional.of(Kind.UNLINK);
                case GRANT -> Optional.of(Kind.GRANT);
                default -> Optional.empty();
            };
        }

        /** How it is typed. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Map<String, Verb> VERBS = Map.ofEntries(
            Map.entry("help", Verb.HELP), Map.entry("?", Verb.HELP), Map.entry("-h", Verb.HELP), Map.entry("--help", Verb.HELP),
            Map.entry("reset-mfa", Verb.RESET_MFA), Map.entry("reset-password", Verb.RESET_PASSWORD),
            Map.entry("offboard", Verb.OFFBOARD), Map.entry("link", Verb.LINK), Map.entry("unlink", Verb.UNLINK),
            Map.entry("status", Verb.STATUS), Map.entry("cancel", Verb.CANCEL), Map.entry("users", Verb.USERS),
            Map.entry("grant", Verb.GRANT), Map.entry("revoke", Verb.REVOKE));

    public static CommandText parse(String raw) {
        String text = raw == null ? "" : raw.strip();
        List<String> tokens = new ArrayList<>(Arrays.asList(text.split("\\s+")));
        tokens.removeIf(String::isEmpty);
        Verb verb = tokens.isEmpty() ? Verb.ONBOARD : VERBS.getOrDefault(tokens.get(0).toLowerCase(Locale.ROOT), Verb.ONBOARD);
        if (verb == Verb.ONBOARD) {
            return onboarding(tokens);
        }
        List<String> rest = tokens.subList(1, tokens.size());
        return switch (verb) {
            case HELP, USERS -> new CommandText(verb, Optional.empty(), Optional.empty(), List.of(), "", Optional.empty());
            case CANCEL, REVOKE -> new CommandText(verb, Optional.empty(), Optional.empty(), List.of(), "",
                    rest.isEmpty() ? Optional.empty() : Optional.of(rest.get(0)));
            case GRANT -> grant(rest);
            default -> about(verb, rest);
        };
    }

    /** {@code <@person|iam-user> [@person] [reason...]} after a lifecycle verb or status. */
    private static CommandText about(Verb verb, List<String> tokens) {
        Optional<String> name = Optional.empty();
        Optional<String> target = Optional.empty();
        int i = 0;
        for (; i < tokens.size() && i < 2; i++) {
            String token = tokens.get(i);
            Matcher mention = MENTION.matcher(token);
            if (target.isEmpty() && mention.matches()) {
                target = Optional.of(mention.group(1));
            } else if (i == 0 && isName(token)) {
                name = Optional.of(token);
            } else {
                break;
            }
        }
        String reason = String.join(" ", tokens.subList(i, tokens.size()));
        return new CommandText(verb, name, target, List.of(), reason, Optional.empty());
    }

    /** {@code <group> [@person|iam-user] for <duration> [reason...]}; "for" may be left out before the duration. */
    private static CommandText grant(List<String> tokens) {
        List<String> groups = tokens.isEmpty() ? List.of() : List.of(tokens.get(0));
        Optional<String> name = Optional.empty();
        Optional<String> target = Optional.empty();
        int i = 1;
        if (i < tokens.size() && !tokens.get(i).equalsIgnoreCase("for") && duration(tokens.get(i)).isEmpty()) {
            Matcher mention = MENTION.matcher(tokens.get(i));
            if (mention.matches()) {
                target = Optional.of(mention.group(1));
                i++;
            } else if (isName(tokens.get(i))) {
                name = Optional.of(tokens.get(i));
                i++;
            }
        }
        if (i < tokens.size() && tokens.get(i).equalsIgnoreCase("for")) {
            i++;
        }
        Optional<Duration> length = i < tokens.size() ? duration(tokens.get(i)) : Optional.empty();
        if (length.isPresent()) {
            i++;
        }
        String reason = String.join(" ", tokens.subList(Math.min(i, tokens.size()), tokens.size()));
        return new CommandText(Verb.GRANT, name, target, groups, reason, Optional.empty(), length);
    }

    private static final Pattern DURATION = Pattern.compile("(?i)(?:(\\d{1,3})d)?(?:(\\d{1,4})h)?(?:(\\d{1,5})m(?:in)?)?");

    /** "2h", "90m", "1h30m", "1d", or ISO-8601 ("PT2H"); empty if it is none of these. */
    static Optional<Duration> duration(String token) {
        Matcher m = DURATION.matcher(token);
        if (!token.isEmpty() && m.matches() && (m.group(1) != null || m.group(2) != null || m.group(3) != null)) {
            Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                    .plusHours(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                    .plusMinutes(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
            return d.isZero() ? Optional.empty() : Optional.of(d);
        }
        try {
            Duration d = Duration.parse(token.toUpperCase(Locale.ROOT));
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean isName(String token) {
        return !token.startsWith("@") && !token.startsWith("<") && !token.contains("=");
    }

    private static CommandText onboarding(List<String> tokens) {
        Optional<String> name = Optional.empty();
        Optional<String> target = Optional.empty();
        List<String> groups = new ArrayList<>();
        List<String> reason = new ArrayList<>();
        for (String token : tokens) {
            Matcher mention = MENTION.matcher(token);
            Matcher g = GROUPS.matcher(token);
            if (target.isEmpty() && reason.isEmpty() && mention.matches()) {
                target = Optional.of(mention.group(1));
            } else if (name.isEmpty() && target.isEmpty() && reason.isEmpty() && !token.startsWith("@") && !token.startsWith("<")) {
                name = Optional.of(token);
            } else if (reason.isEmpty() && g.matches()) {
                Arrays.stream(g.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(groups::add);
            } else if (target.isPresent() || !token.startsWith("@")) {
                reason.add(token);
            }
        }
        return new CommandText(Verb.ONBOARD, name, target, List.copyOf(groups), String.join(" ", reason), Optional.empty());
    }

    public boolean help() {
        return verb == Verb.HELP;
    }

    /** Name and person are both known: an onboarding request can go out without a modal. */
    public boolean isComplete() {
        return iamUserName.isPresent() && targetUserId.isPresent();
    }

    /** Someone is named, by mention or IAM user name. */
    public boolean namesSomeone() {
        return iamUserName.isPresent() || targetUserId.isPresent();
    }

    /**
     * What stands where a verb wants a person or an IAM user name and is neither: typically {@code @name} as plain
     * text, which Slack makes a mention only of a person picked from its list as one types @. Empty when someone is
     * named, or nothing is.
     */
    public Optional<String> unknownWho() {
        boolean wantsWho = verb == Verb.STATUS || verb.kind().filter(k -> k != Kind.ONBOARD).isPresent();
        if (!wantsWho || namesSomeone() || reason.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(reason.split(" ", 2)[0]); // about() stops at the first word that names nobody
    }
}
