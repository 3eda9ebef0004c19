package dev.streamtune.ingest.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks e-mail addresses, phone numbers, payment card numbers and IPv4 addresses, each kind on request.
 *
 * <p>Cheap on text without personal data, which is most text: the e-mail pattern only runs on text with an '@',
 * and numbers are found by a linear scan rather than a regular expression. Every quantifier is bounded, so there
 * is no catastrophic backtracking whatever the input.
 *
 * <p>Numbers are heuristics, tuned to mask what looks like a phone or card number and keep ordinary numbers:
 * <ul>
 *   <li>a number span is digit groups joined by single separators (space, '-', '.', parentheses), optionally
 *       led by '+' or '('; dots do not mix with the other separators;</li>
 *   <li>IPv4: four dot-joined groups of 1-3 digits, each at most 255;</li>
 *   <li>kept: dates (2024-01-31, 31.01.2024, 31-01-2024), decimals (3.14) and dot-grouped thousands (1.234.567);</li>
 *   <li>card: 13-19 digits joined by spaces or dashes only, passing the Luhn check;</li>
 *   <li>phone: 7-15 digits, and led by '+' or '(', or written in 2-6 groups whose groups after the first have at
 *       least 2 digits, or one unbroken run of at least 10 digits.</li>
 * </ul>
 */
public final class PiiMasker {

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}"
                    + "[A-Za-z]{2,24}(?![A-Za-z0-9-])");
    private static final int MIN_DIGITS_FOR_ANY_NUMBER = 4;

    private PiiMasker() {
    }

    public static String mask(String text, Set<PiiKind> kinds) {
        if (kinds.isEmpty()) {
            return text;
        }
        String masked = text;
        if (kinds.contains(PiiKind.EMAIL) && masked.indexOf('@') >= 0) {
            Matcher matcher = EMAIL.matcher(masked);
            if (matcher.find()) {
                masked = matcher.replaceAll(Matcher.quoteReplacement(PiiKind.EMAIL.placeholder()));
            }
        }
        if ((kinds.contains(PiiKind.PHONE) || kinds.contains(PiiKind.CARD_NUMBER)
                || kinds.contains(PiiKind.IP_ADDRESS)) && countDigits(masked) >= MIN_DIGITS_FOR_ANY_NUMBER) {
            masked = maskNumbers(masked, kinds);
        }
        return masked;
    }

    private static int countDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        return digits;
    }

    private static String maskNumbers(String text, Set<PiiKind> kinds) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            if (!startsNumber(text, i)) {
                i++;
                continue;
            }
            NumberSpan span = NumberSpan.scan(text, i);
            PiiKind kind = span.classify();
            if (kind != null && kinds.contains(kind)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, span.start).append(kind.placeholder());
                copied = span.end;
            }
            i = Math.max(span.end, i + 1);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** A number may start at a digit, or at '+' or '(' before a digit, if not glued to a preceding word. */
    private static boolean startsNumber(String text, int i) {
        char c = text.charAt(i);
        boolean opener = (c == '+' || c == '(') && i + 1 < text.length() && isDigit(text.charAt(i + 1));
        if (!isDigit(c) && !opener) {
            return false;
        }
        return i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)) && text.charAt(i - 1) != '_'
                && text.charAt(i - 1) != '+' && text.charAt(i - 1) != '.' && text.charAt(i - 1) != '-';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Digit groups and the separators between them, from {@code start} (inclusive) to {@code end} (exclusive). */
    private static final class NumberSpan {
        final int start;
        int end;
        final boolean leadingPlus;
        final boolean leadingParen;
        final List<String> groups = new ArrayList<>(6);
        final StringBuilder separators = new StringBuilder(6); // one char per join: ' ', '-', '.', '(' or ')'
        int groupEnd; // end of the group before the last join
        boolean gluedToWord;

        private NumberSpan(int start, boolean leadingPlus, boolean leadingParen) {
            this.start = start;
            this.leadingPlus = leadingPlus;
            this.leadingParen = leadingParen;
        }

        static NumberSpan scan(String text, int start) {
            char first = text.charAt(start);
            NumberSpan span = new NumberSpan(start, first == '+', first == '(');
            int i = first == '+' || first == '(' ? start + 1 : start;
            while (true) {
                int groupStart = i;
                while (i < text.length() && isDigit(text.charAt(i)) && i - groupStart < 20) {
                    i++;
                }
                span.groups.add(text.substring(groupStart, i));
                span.end = i;
                if (span.groups.size() > 8) {
                    break;
                }
                // A join is one separator, or ") " / " (" around an area code; ". " ends a sentence, not a number.
                int j = i;
                while (j < text.length() && j - i < 2 && isSeparator(text.charAt(j))) {
                    j++;
                }
                if (j == i || j >= text.length() || !isDigit(text.charAt(j))) {
                    break;
                }
                char join = text.charAt(i);
                if (j - i == 2) {
                    String pair = text.substring(i, j);
                    if (!pair.equals(") ") && !pair.equals(" (")) {
                        break;
                    }
                    join = pair.charAt(0) == ' ' ? '(' : ')';
                }
                // Dots do not mix with other joins: "+44 20 7946 0958 10.0.0.1" is a phone, then an address.
                if (span.separators.length() > 0 && (join == '.') != (span.separators.charAt(0) == '.')) {
                    if (join == '.') {
                        span.groups.remove(span.groups.size() - 1);
                        span.end = span.groupEnd;
                    }
                    break;
                }
                span.separators.append(join);
                span.groupEnd = i;
                i = j;
            }
            if (span.end < text.length() && text.charAt(span.end) == ')' && span.leadingParen) {
                span.end++; // "(555)" alone
            }
            span.gluedToWord = span.end < text.length() && (Character.isLetter(text.charAt(span.end))
                    || text.charAt(span.end) == '_');
            return span;
        }

        private static boolean isSeparator(char c) {
            return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
        }

        PiiKind classify() {
            if (gluedToWord) {
                return null; // "4G", "2024abc": part of a word, not a number to mask
            }
            int digits = 0;
            for (String group : groups) {
                digits += group.length();
            }
            if (isIpAddress()) {
                return PiiKind.IP_ADDRESS;
            }
            if (isOrdinaryNumber()) {
                return null;
            }
            if (digits >= 13 && digits <= 19 && onlySeparators(" -") && luhn()) {
                return PiiKind.CARD_NUMBER;
            }
            if (digits >= 7 && digits <= 15 && looksLikePhone(digits)) {
                return PiiKind.PHONE;
            }
            return null;
        }

        private boolean isIpAddress() {
            if (groups.size() != 4 || !onlySeparators(".") || leadingPlus || leadingParen) {
                return false;
            }
            for (String group : groups) {
                if (group.isEmpty() || group.length() > 3 || Integer.parseInt(group) > 255) {
                    return false;
                }
            }
            return true;
        }

        /** Dates, decimals and dot-grouped thousands. */
        private boolean isOrdinaryNumber() {
            if (leadingPlus || leadingParen) {
                return false;
            }
            if (groups.size() == 2 && onlySeparators(".")) {
                return true;
            }
            if (groups.size() == 3 && (onlySeparators("-") || onlySeparators("."))) {
                int a = groups.get(0).length();
                int b = groups.get(1).length();
                int c = groups.get(2).length();
                if ((a == 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && c == 4)) {
                    return true;
                }
            }
            if (groups.size() >= 2 && onlySeparators(".") && groups.get(0).length() <= 3) {
                for (int g = 1; g < groups.size(); g++) {
                    if (groups.get(g).length() != 3) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }

        private boolean looksLikePhone(int digits) {
            if (leadingPlus || leadingParen) {
                return true;
            }
            if (groups.size() == 1) {
                return digits >= 10;
            }
            if (groups.size() > 6) {
                return false;
            }
            for (int g = 1; g < groups.size(); g++) {
                if (groups.get(g).length() < 2) {
                    return false;
                }
            }
            return true;
        }

        private boolean onlySeparators(String allowed) {
            for (int s = 0; s < separators.length(); s++) {
                if (allowed.indexOf(separators.charAt(s)) < 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean luhn() {
            int sum = 0;
            boolean doubled = false;
            for (int g = groups.size() - 1; g >= 0; g--) {
                String group = groups.get(g);
                for (int k = group.length() - 1; k >= 0; k--) {
                    int d = group.charAt(k) - '0';
                    if (doubled) {
                        d *= 2;
                        if (d > 9) {
                            d -= 9;
                        }
                    }
                    sum += d;
                    doubled = !doubled;
                }
            }
            return sum % 10 == 0;
        }
    }
}
