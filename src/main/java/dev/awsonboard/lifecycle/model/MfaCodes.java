package dev.awsonboard.lifecycle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Two consecutive authenticator codes, as a person types them. */
public record MfaCodes(String first, String second) {
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final Pattern TOKEN = Pattern.compile("(?<![\\d])\\d{6}(?![\\d])");
    private static final int MAX_TEXT = 200;

    /** Each code alone, as typed into a form field: empty if it is six digits. */
    public static Optional<Notice> problem(String code) {
        String c = code == null ? "" : code.replace(" ", "").strip();
        return SIX_DIGITS.matcher(c).matches() ? Optional.empty() : Optional.of(Notice.of(Reason.CODES_MALFORMED));
    }

    public static MfaCodes of(String first, String second) {
        return new MfaCodes(first.replace(" ", "").strip(), second.replace(" ", "").strip());
    }

    /** Two 6-digit codes in free text such as "123456 654321"; empty unless exactly two. */
    public static Optional<MfaCodes> find(String text) {
        if (text == null || text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(text);
        List<String> codes = new ArrayList<>();
        while (m.find()) {
            codes.add(m.group());
        }
        return codes.size() == 2 ? Optional.of(new MfaCodes(codes.get(0), codes.get(1))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "MfaCodes[******, ******]";
    }
}
