package io.jpgpool.sql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns identifier and string-constant tokens into the values PostgreSQL's scanner produces.
 * Only called for the few tokens whose value a fact needs, never for every token.
 */
final class Literals {
    /** NAMEDATALEN - 1: PostgreSQL truncates longer identifiers. */
    static final int MAX_IDENTIFIER_BYTES = 63;

    private Literals() {
    }

    /** An identifier token's value: unquoted folded to lower case (ASCII only), quoted exact. */
    static String identifier(Tokens tk, int i) {
        String src = tk.src;
        int from = tk.start[i];
        int to = tk.end[i];
        if (tk.type[i] == Tokens.IDENT) {
            StringBuilder sb = null;
            for (int k = from; k < to; k++) {
                char c = src.charAt(k);
                if (c >= 'A' && c <= 'Z') {
                    if (sb == null) {
                        sb = new StringBuilder(to - from).append(src, from, k);
                    }
                    sb.append((char) (c + ('a' - 'A')));
                } else if (sb != null) {
                    sb.append(c);
                }
            }
            return truncate(sb == null ? src.substring(from, to) : sb.toString());
        }
        if (tk.type[i] == Tokens.QIDENT) {
            char first = src.charAt(from);
            if (first == '"') {
                return truncate(undouble(src, from + 1, closingQuote(src, from, to, '"'), '"'));
            }
            // U&"..." [UESCAPE 'c']
            int close = closingQuote(src, from + 2, to, '"');
            String raw = undouble(src, from + 3, close, '"');
            return truncate(unicodeUnescape(raw, uescapeChar(src, close + 1, to)));
        }
        return tk.text(i);
    }

    /** A string constant's value, with escapes and continuation lines processed. */
    static String string(Tokens tk, int i) {
        String src = tk.src;
        int from = tk.start[i];
        int to = tk.end[i];
        char c = src.charAt(from);
        if (c == '$') {
            int tagEnd = src.indexOf('$', from + 1);
            int tagLength = tagEnd - from + 1;
            return to - from >= 2 * tagLength ? src.substring(tagEnd + 1, to - tagLength) : src.substring(tagEnd + 1, to);
        }
        if (c == '\'') {
            return segments(src, from, to, false);
        }
        if (c == 'e' || c == 'E') {
            return segments(src, from + 1, to, true);
        }
        if (c == 'u' || c == 'U') {
            int last = lastSegmentEnd(src, from + 2, to);
            String raw = segments(src, from + 2, last, false);
            return unicodeUnescape(raw, uescapeChar(src, last, to));
        }
        return segments(src, from + 1, to, false); // B'', X'', N''
    }

    /** The content of the quote-delimited segments from {@code i} (a quote) to {@code to}. */
    private static String segments(String src, int i, int to, boolean escapes) {
        StringBuilder sb = new StringBuilder(to - i);
        ByteArrayOutputStream bytes = null;
        while (i < to && src.charAt(i) == '\'') {
            i++;
            while (i < to) {
                char c = src.charAt(i);
                if (c == '\'') {
                    if (i + 1 < to && src.charAt(i + 1) == '\'') {
                        sb.append('\'');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (c == '\\' && escapes && i + 1 < to) {
                    char d = src.charAt(i + 1);
                    int value = -1;
                    int next = i + 2;
                    if (d >= '0' && d <= '7') {
                        value = 0;
                        int k = i + 1;
                        while (k < to && k < i + 4 && src.charAt(k) >= '0' && src.charAt(k) <= '7') {
                            value = value * 8 + (src.charAt(k) - '0');
                            k++;
                        }
                        next = k;
                    } else if (d == 'x' && i + 2 < to && hex(src.charAt(i + 2)) >= 0) {
                        value = 0;
                        int k = i + 2;
                        while (k < to && k < i + 4 && hex(src.charAt(k)) >= 0) {
                            value = value * 16 + hex(src.charAt(k));
                            k++;
                        }
                        next = k;
                    }
                    if (value >= 0) {
                        // octal and hex escapes are bytes of the server encoding (UTF-8 assumed)
                        if (bytes == null) {
                            bytes = new ByteArrayOutputStream();
                        }
                        bytes.write(value & 0xff);
                        i = next;
                        continue;
                    }
                    flush(sb, bytes);
                    if ((d == 'u' || d == 'U')) {
                        int digits = d == 'u' ? 4 : 8;
                        int cp = hexRun(src, i + 2, Math.min(to, i + 2 + digits), digits);
                        if (cp >= 0 && Character.isValidCodePoint(cp)) {
                            sb.appendCodePoint(cp);
                            i += 2 + digits;
                            continue;
                        }
                    }
                    sb.append(switch (d) {
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> d;
                    });
                    i += 2;
                    continue;
                }
                flush(sb, bytes);
                sb.append(c);
                i++;
            }
            flush(sb, bytes);
            // continuation: whitespace with a newline, then the next segment
            i = skipSpaceAndComments(src, i, to);
        }
        return sb.toString();
    }

    private static void flush(StringBuilder sb, ByteArrayOutputStream bytes) {
        if (bytes != null && bytes.size() > 0) {
            sb.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    /** End (exclusive) of the last quote-delimited segment of a U&amp; string, before UESCAPE. */
    private static int lastSegmentEnd(String src, int i, int to) {
        int end = i;
        while (i < to && src.charAt(i) == '\'') {
            i = Math.min(to, closingQuote(src, i, to, '\'') + 1); // unterminated: stop at the token end
            end = i;
            i = skipSpaceAndComments(src, i, to);
        }
        return end;
    }

    /** Past the white space and {@code --} comments from {@code i}: the next segment's quote, if there is one. */
    private static int skipSpaceAndComments(String src, int i, int to) {
        while (i < to) {
            if (src.charAt(i) == '-' && i + 1 < to && src.charAt(i + 1) == '-') {
                while (i < to && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
                    i++;
                }
            } else if (isSpace(src.charAt(i))) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** Index of the closing quote of the quoted run opening at {@code open}, or {@code to}. */
    private static int closingQuote(String src, int open, int to, char quote) {
        int i = open + 1;
        while (i < to) {
            if (src.charAt(i) == quote) {
                if (i + 1 < to && src.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return to;
    }

    private static String undouble(String src, int from, int to, char quote) {
        if (from >= to) {
            return "";
        }
        String raw = src.substring(from, to);
        String doubled = "" + quote + quote;
        return raw.contains(doubled) ? raw.replace(doubled, String.valueOf(quote)) : raw;
    }

    /** The escape character of a trailing {@code UESCAPE 'c'} in {@code [from, to)}, else '\'. */
    private static char uescapeChar(String src, int from, int to) {
        int q = src.indexOf('\'', from);
        if (q >= 0 && q + 1 < to) {
            return src.charAt(q + 1);
        }
        return '\\';
    }

    /** Decodes {@code \XXXX}, {@code \+XXXXXX} and a doubled escape character. */
    private static String unicodeUnescape(String raw, char escape) {
        if (raw.indexOf(escape) < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == escape && i + 1 < raw.length()) {
                char d = raw.charAt(i + 1);
                if (d == escape) {
                    sb.append(escape);
                    i += 2;
                    continue;
                }
                if (d == '+') {
                    int cp = hexRun(raw, i + 2, Math.min(raw.length(), i + 8), 6);
                    if (cp >= 0 && Character.isValidCodePoint(cp)) {
                        sb.appendCodePoint(cp);
                        i += 8;
                        continue;
                    }
                } else {
                    int cp = hexRun(raw, i + 1, Math.min(raw.length(), i + 5), 4);
                    if (cp >= 0) {
                        sb.append((char) cp); // surrogate halves pair up in the builder
                        i += 5;
                        continue;
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static int hexRun(String s, int from, int to, int digits) {
        if (to - from != digits) {
            return -1;
        }
        int value = 0;
        for (int k = from; k < to; k++) {
            int h = hex(s.charAt(k));
            if (h < 0) {
                return -1;
            }
            value = value * 16 + h;
        }
        return value;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    /** Truncates to {@value #MAX_IDENTIFIER_BYTES} UTF-8 bytes on a character boundary, as PostgreSQL does. */
    static String truncate(String name) {
        if (name.length() <= MAX_IDENTIFIER_BYTES / 4) {
            return name;
        }
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + width > MAX_IDENTIFIER_BYTES) {
                return name.substring(0, i);
            }
            bytes += width;
            i += Character.charCount(cp);
        }
        return name;
    }
}
