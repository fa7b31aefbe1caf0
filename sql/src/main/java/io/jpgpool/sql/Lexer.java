package io.jpgpool.sql;

/**
 * PostgreSQL's lexical rules (scan.l of the PostgreSQL 14 grammar that Pgpool-II 4.3 embeds), in
 * one pass over the characters with no regular expressions and no backtracking.
 *
 * <p>Assumes {@code standard_conforming_strings = on} (the default since PostgreSQL 9.1): a
 * backslash escapes only inside {@code E'...'}. Errors never throw: they set
 * {@link Tokens#malformed} and scanning goes on, so the caller still gets the best-effort tokens.
 */
final class Lexer {
    /** The longest text {@link #lexTransient} lexes into the thread's kept arrays (about 30 KB of them). */
    private static final int TRANSIENT_MAX_LENGTH = 4096;
    private static final ThreadLocal<Lexer> TRANSIENT = ThreadLocal.withInitial(() -> new Lexer(new Tokens("")));

    private final Tokens out;
    private String s;
    private int n;
    private int[] stack = new int[16];
    private int depth;

    private Lexer(Tokens out) {
        this.out = out;
    }

    static Tokens lex(String sql) {
        return new Lexer(new Tokens(sql)).scan(sql);
    }

    /**
     * Like {@link #lex}, but short text goes into arrays this thread keeps for its next call, so the tokens are
     * only valid until then: for a caller that reads them and lets go (the shape of every statement with
     * constants is found this way, so this is the event loop's most frequent allocation saved).
     */
    static Tokens lexTransient(String sql) {
        if (sql.length() > TRANSIENT_MAX_LENGTH) {
            return lex(sql);
        }
        Lexer lexer = TRANSIENT.get();
        lexer.out.reset(sql);
        return lexer.scan(sql);
    }

    private Tokens scan(String sql) {
        s = sql;
        n = sql.length();
        depth = 0;
        run();
        return out;
    }

    private void run() {
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            switch (c) {
                case ' ', '\t', '\n', '\r', '\f' -> i++;
                case '-' -> i = (at(i + 1) == '-') ? skipLineComment(i) : operator(i);
                case '/' -> i = (at(i + 1) == '*') ? skipBlockComment(i) : operator(i);
                case '\'' -> i = string(i, i, false);
                case '"' -> i = quotedIdentifier(i, i);
                case '$' -> i = dollar(i);
                case '(' -> i = open(i, Tokens.LPAREN);
                case '[' -> i = open(i, Tokens.LBRACKET);
                case ')' -> i = close(i, Tokens.RPAREN, Tokens.LPAREN);
                case ']' -> i = close(i, Tokens.RBRACKET, Tokens.LBRACKET);
                case ',' -> i = single(i, Tokens.COMMA);
                case ';' -> i = single(i, Tokens.SEMI);
                case ':' -> {
                    char d = at(i + 1);
                    if (d == ':') {
                        out.add(Tokens.TYPECAST, i, i + 2, null);
                        i += 2;
                    } else if (d == '=') {
                        out.add(Tokens.OP, i, i + 2, null);
                        i += 2;
                    } else {
                        i = single(i, Tokens.COLON);
                    }
                }
                case '.' -> {
                    char d = at(i + 1);
                    if (isDigit(d)) {
                        i = number(i);
                    } else if (d == '.') {
                        out.add(Tokens.OP, i, i + 2, null);
                        i += 2;
                    } else {
                        i = single(i, Tokens.DOT);
                    }
                }
                default -> {
                    if (isDigit(c)) {
                        i = number(i);
                    } else if (isIdentStart(c)) {
                        i = word(i);
                    } else if (isOpChar(c)) {
                        i = operator(i);
                    } else {
                        // a character PostgreSQL's scanner hands to the grammar as {other}: '\', '{', '}', ...
                        out.malformed = true;
                        i++;
                    }
                }
            }
        }
        if (depth > 0) {
            out.malformed = true;
        }
    }

    private char at(int i) {
        return i < n ? s.charAt(i) : '\0';
    }

    private int single(int i, int type) {
        out.add(type, i, i + 1, null);
        return i + 1;
    }

    private int open(int i, int type) {
        if (depth == stack.length) {
            stack = java.util.Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = out.count;
        return single(i, type);
    }

    private int close(int i, int type, int openType) {
        int index = out.count;
        single(i, type);
        if (depth == 0) {
            out.malformed = true;
            return i + 1;
        }
        int opener = stack[--depth];
        if (out.type[opener] != openType) {
            out.malformed = true;
        }
        out.match[opener] = index;
        out.match[index] = opener;
        return i + 1;
    }

    private int skipLineComment(int i) {
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** Block comments nest in PostgreSQL: {@code /* /* *&#47; *&#47;}. */
    private int skipBlockComment(int i) {
        int level = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && at(i + 1) == '*') {
                level++;
                i += 2;
            } else if (c == '*' && at(i + 1) == '/') {
                level--;
                i += 2;
                if (level == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        out.malformed = true; // unterminated /* comment
        return n;
    }

    /**
     * A single-quoted string starting with the quote at {@code quote}; the token begins at
     * {@code tokenStart} (before an E, B, X, N or U&amp; prefix). Handles {@code ''}, backslash
     * escapes when {@code escapes}, and PostgreSQL's continuation of a string by another one after
     * whitespace that contains a newline.
     */
    private int string(int tokenStart, int quote, boolean escapes) {
        int i = quote + 1;
        while (true) {
            if (i >= n) {
                out.malformed = true; // unterminated quoted string
                out.add(Tokens.STRING, tokenStart, n, null);
                return n;
            }
            char c = s.charAt(i);
            if (c == '\'') {
                if (at(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                int next = continuation(i + 1);
                if (next < 0) {
                    out.add(Tokens.STRING, tokenStart, i + 1, null);
                    return i + 1;
                }
                i = next + 1;
            } else if (c == '\\' && escapes) {
                i += 2;
            } else {
                i++;
            }
        }
    }

    /**
     * If the text after a closing quote is whitespace including a newline (line comments allowed)
     * followed by another quote, returns that quote's index; else -1.
     */
    private int continuation(int i) {
        boolean newline = false;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f') {
                i++;
            } else if (c == '\n' || c == '\r') {
                newline = true;
                i++;
            } else if (c == '-' && at(i + 1) == '-') {
                i = skipLineComment(i);
            } else {
                return newline && c == '\'' ? i : -1;
            }
        }
        return -1;
    }

    private int quotedIdentifier(int tokenStart, int quote) {
        int i = quote + 1;
        while (i < n) {
            if (s.charAt(i) == '"') {
                if (at(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                if (i == quote + 1) {
                    out.malformed = true; // zero-length delimited identifier
                }
                out.add(Tokens.QIDENT, tokenStart, i + 1, null);
                return i + 1;
            }
            i++;
        }
        out.malformed = true; // unterminated quoted identifier
        out.add(Tokens.QIDENT, tokenStart, n, null);
        return n;
    }

    /** {@code $1}, or a dollar-quoted string {@code $tag$...$tag$}, or a stray {@code $}. */
    private int dollar(int i) {
        char d = at(i + 1);
        if (isDigit(d)) {
            int j = i + 1;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            out.add(Tokens.PARAM, i, j, null);
            return j;
        }
        int j = i + 1;
        if (d != '$') {
            if (!isIdentStart(d)) {
                out.malformed = true;
                return i + 1;
            }
            while (j < n && isDollarTagChar(s.charAt(j))) {
                j++;
            }
            if (j >= n || s.charAt(j) != '$') {
                // {dolqfailed}: PostgreSQL returns the "$" alone, a syntax error
                out.malformed = true;
                return i + 1;
            }
        }
        int tagLength = j - i - 1;
        int close = findDollarClose(j + 1, i + 1, tagLength);
        if (close < 0) {
            out.malformed = true; // unterminated dollar-quoted string
            out.add(Tokens.STRING, i, n, null);
            return n;
        }
        int endIndex = close + tagLength + 2;
        out.add(Tokens.STRING, i, endIndex, null);
        return endIndex;
    }

    /**
     * Finds the closing {@code $tag$} in linear time: tag characters never include '$', so a
     * candidate is a pair of consecutive '$' exactly {@code tagLength} apart, and those pairs do
     * not overlap.
     */
    private int findDollarClose(int from, int tagStart, int tagLength) {
        int p = s.indexOf('$', from);
        while (p >= 0) {
            int q = s.indexOf('$', p + 1);
            if (q < 0) {
                return -1;
            }
            if (q - p - 1 == tagLength && s.regionMatches(p + 1, s, tagStart, tagLength)) {
                return p;
            }
            p = q;
        }
        return -1;
    }

    private int number(int i) {
        int j = i;
        while (j < n && isDigit(s.charAt(j))) {
            j++;
        }
        if (j < n && s.charAt(j) == '.' && at(j + 1) != '.') { // "1..10" lexes as 1, .., 10
            j++;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
        }
        if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                k++;
            }
            if (k < n && isDigit(s.charAt(k))) {
                j = k;
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
            }
        }
        out.add(Tokens.NUMBER, i, j, null);
        return j;
    }

    private int word(int i) {
        char c = s.charAt(i);
        char d = at(i + 1);
        if (d == '\'') {
            switch (c) {
                case 'e', 'E' -> {
                    return string(i, i + 1, true);
                }
                case 'b', 'B', 'x', 'X', 'n', 'N' -> {
                    return string(i, i + 1, false);
                }
                default -> { }
            }
        }
        if ((c == 'u' || c == 'U') && d == '&') {
            char q = at(i + 2);
            if (q == '\'') {
                string(i, i + 2, false);
                uescape();
                return out.end[out.count - 1];
            }
            if (q == '"') {
                quotedIdentifier(i, i + 2);
                uescape();
                return out.end[out.count - 1];
            }
        }
        int j = i + 1;
        while (j < n && isIdentCont(s.charAt(j))) {
            j++;
        }
        out.add(Tokens.IDENT, i, j, Keyword.lookup(s, i, j));
        return j;
    }

    /** Folds an optional {@code UESCAPE 'c'} clause into the preceding U&amp; token. */
    private void uescape() {
        int last = out.count - 1;
        int i = skipSpaceAndComments(out.end[last]);
        if (i + 7 > n || !s.regionMatches(true, i, "uescape", 0, 7) || (i + 7 < n && isIdentCont(s.charAt(i + 7)))) {
            return;
        }
        int q = skipSpaceAndComments(i + 7);
        if (q < n && s.charAt(q) == '\'') {
            int saved = out.count;
            int endIndex = string(q, q, false);
            out.count = saved; // drop the escape string token, widen the U& token instead
            out.end[last] = endIndex;
        }
    }

    private int skipSpaceAndComments(int i) {
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
            } else if (c == '-' && at(i + 1) == '-') {
                i = skipLineComment(i);
            } else if (c == '/' && at(i + 1) == '*') {
                i = skipBlockComment(i);
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * An operator: a run of operator characters, cut before an embedded comment start, and with
     * trailing '+'/'-' given back unless the operator has one of ~!@#^&|`?% (so {@code a=-1} is
     * {@code =} then {@code -}), as PostgreSQL does.
     */
    private int operator(int i) {
        int j = i;
        while (j < n && isOpChar(s.charAt(j))) {
            if (j > i && ((s.charAt(j) == '-' && at(j + 1) == '-') || (s.charAt(j) == '/' && at(j + 1) == '*'))) {
                break;
            }
            j++;
        }
        int cut = j;
        if (j - i > 1 && (s.charAt(j - 1) == '+' || s.charAt(j - 1) == '-')) {
            boolean keep = false;
            for (int k = i; k < j; k++) {
                if ("~!@#^&|`?%".indexOf(s.charAt(k)) >= 0) {
                    keep = true;
                    break;
                }
            }
            if (!keep) {
                while (j - i > 1 && (s.charAt(j - 1) == '+' || s.charAt(j - 1) == '-')) {
                    j--;
                }
            }
        }
        out.add(Tokens.OP, i, j, null);
        // Each given-back '+'/'-' would lex alone again (the rest of the run holds only those and no
        // comment start), so emit them now: rescanning the run would be quadratic.
        for (int k = j; k < cut; k++) {
            out.add(Tokens.OP, k, k + 1, null);
        }
        return cut;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagChar(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isOpChar(char c) {
        return switch (c) {
            case '~', '!', '@', '#', '^', '&', '|', '`', '?', '+', '-', '*', '/', '%', '<', '>', '=' -> true;
            default -> false;
        };
    }
}
