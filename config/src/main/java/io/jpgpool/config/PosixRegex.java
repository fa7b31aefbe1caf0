package io.jpgpool.config;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * pgpool's regex lists are POSIX extended regexes, matched case-insensitively and anchored with
 * {@code ^...$} unless the text already starts with {@code ^} / ends with {@code $}
 * (SEMANTICS §A.5). Java's syntax is a superset for everyday patterns; POSIX character classes
 * such as {@code [[:digit:]]} are translated.
 */
final class PosixRegex {

    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("xdigit", "\\p{XDigit}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("print", "\\p{Print}"));

    private PosixRegex() {
    }

    static Pattern compileAnchored(String regex) throws InvalidValueException {
        // same rule as pgpool: add ^ unless the first char is ^, add $ unless the last char is $
        String anchored = (regex.startsWith("^") ? "" : "^") + regex + (regex.endsWith("$") ? "" : "$");
        try {
            // DOTALL: POSIX regexec without REG_NEWLINE lets '.' match a newline (a query on several lines)
            return Pattern.compile(translateClasses(anchored),
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        } catch (PatternSyntaxException | StackOverflowError e) {
            String why = e instanceof PatternSyntaxException p ? p.getDescription() : "too deeply nested";
            throw new InvalidValueException("invalid regular expression \"" + regex + "\": " + why);
        }
    }

    /** Replaces {@code [:name:]} inside bracket expressions with Java's equivalent. */
    static String translateClasses(String regex) {
        if (!regex.contains("[:")) {
            return regex;
        }
        StringBuilder out = new StringBuilder(regex.length() + 16);
        boolean inBracket = false;
        int bracketStart = -1;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (!inBracket) {
                if (c == '\\' && i + 1 < regex.length()) {
                    out.append(c).append(regex.charAt(++i));
                    continue;
                }
                if (c == '[') {
                    inBracket = true;
                    bracketStart = i;
                }
                out.append(c);
                continue;
            }
            if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
                int end = regex.indexOf(":]", i + 2);
                String cls = end < 0 ? null : CLASSES.get(regex.substring(i + 2, end));
                if (cls != null) {
                    out.append(cls);
                    i = end + 1;
                    continue;
                }
            }
            // a ']' right after '[' or '[^' is a literal member, not the end
            boolean first = i == bracketStart + 1 || (i == bracketStart + 2 && regex.charAt(bracketStart + 1) == '^');
            if (c == ']' && !first) {
                inBracket = false;
            }
            out.append(c);
        }
        return out.toString();
    }
}
