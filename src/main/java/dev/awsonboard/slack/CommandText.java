package dev.awsonboard.slack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What was typed after {@code /aws-onboard}:
 * {@code <iam-user-name> @person [groups=g1,g2] [reason...]}, or {@code help}. Mentions
 * arrive escaped ({@code <@U123|alice>}) because the manifest sets {@code should_escape}.
 */
public record CommandText(boolean help, Optional<String> iamUserName, Optional<String> targetUserId,
                          List<String> groups, String reason) {
    private static final Pattern MENTION = Pattern.compile("<@([UW][A-Z0-9]+)(?:\\|[^>]*)?>");
    private static final Pattern GROUPS = Pattern.compile("(?i)groups?=(.*)");

    public static CommandText parse(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.equalsIgnoreCase("help") || text.equals("?") || text.equalsIgnoreCase("-h") || text.equalsIgnoreCase("--help")) {
            return new CommandText(true, Optional.empty(), Optional.empty(), List.of(), "");
        }
        List<String> tokens = new ArrayList<>(Arrays.asList(text.split("\\s+")));
        tokens.removeIf(String::isEmpty);
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
        return new CommandText(false, name, target, List.copyOf(groups), String.join(" ", reason));
    }

    /** Name and person are both known: the request can go out without a modal. */
    public boolean isComplete() {
        return iamUserName.isPresent() && targetUserId.isPresent();
    }
}
