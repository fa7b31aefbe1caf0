package io.jpgpool.sql;

/**
 * The shape of a one-statement SQL string that carries constants: the text with every string and numeric
 * constant replaced by a marker. Strings of one shape differ only in their constants, so they have the same
 * token sequence and, for statements whose facts do not read a constant ({@link Statement#readsConstants()}),
 * the same facts: one analysis serves them all (pgbench -S in the simple protocol, ORMs that inline values).
 *
 * <p>The key is exact, never a hash: everything but the constants (keywords, names, operators, whitespace and
 * comments) is kept as written, and the markers start with NUL, which no query string can contain.
 */
public final class StatementShape {
    private static final char MARK = '\0';

    private final String source;
    private final String key;
    private final String text;

    private StatementShape(String source, String key, String text) {
        this.source = source;
        this.key = key;
        this.text = text;
    }

    /**
     * The shape of {@code sql}, or null when it has no constants, holds more than one statement, is lexically
     * malformed or contains NUL.
     */
    public static StatementShape of(String sql) {
        StatementShape plain = ofPlain(sql);
        if (plain != null) {
            return plain == NO_CONSTANTS ? null : plain;
        }
        return ofLexed(sql);
    }

    /** {@link #of} through the lexer, for any text. */
    static StatementShape ofLexed(String sql) {
        if (sql.indexOf(MARK) >= 0) {
            return null;
        }
        Tokens tk = Lexer.lexTransient(sql);
        if (tk.malformed) {
            return null;
        }
        int[] bounds = SqlAnalyzer.split(tk);
        if (bounds.length != 2) {
            return null;
        }
        StringBuilder key = null;
        int copied = 0;
        for (int i = 0; i < tk.count; i++) {
            int t = tk.type[i];
            if (t != Tokens.STRING && t != Tokens.NUMBER) {
                continue;
            }
            if (key == null) {
                key = new StringBuilder(sql.length() + 8);
            }
            key.append(sql, copied, tk.start[i]).append(MARK).append(t == Tokens.STRING ? 'S' : 'N');
            copied = tk.end[i];
        }
        if (key == null) {
            return null;
        }
        key.append(sql, copied, sql.length());
        return new StatementShape(sql, key.toString(), SqlAnalyzer.segmentText(tk, bounds[0], bounds[1]));
    }

    /** {@link #ofPlain}'s answer for plain text without a constant. */
    private static final StatementShape NO_CONSTANTS = new StatementShape("", "", "");

    /**
     * The shape of plain text in one pass, without the lexer: letters, digits, {@code _}, whitespace, balanced
     * parentheses, commas, dots, {@code ::} and operator characters (no quote, {@code $}, comment, bracket,
     * {@code /} or non-ASCII), at most one {@code ;} and only at the end, and integer constants set off from
     * names and dots ({@code aid = 42}, not {@code 1.5}, {@code 1e5}, {@code t1}). On such text the lexer's
     * NUMBER tokens are exactly those digit runs, so the key is the one {@link #of} would make. Returns null when
     * the text is not plain (the lexer decides), {@link #NO_CONSTANTS} when it has no constant.
     */
    static StatementShape ofPlain(String sql) {
        int n = sql.length();
        int depth = 0;
        int semi = -1;
        StringBuilder key = null;
        int copied = 0;
        char prev = ' ';
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (semi >= 0 && !isSpace(c)) {
                return null; // something after the ';'
            }
            if (c >= '0' && c <= '9') {
                if (prev == '.') {
                    return null; // .5 and t.1 lex as numbers with a dot
                }
                if (isWordChar(prev)) {
                    prev = c; // part of a name (t1)
                    continue;
                }
                int j = i + 1;
                while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
                    j++;
                }
                if (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    return null; // 1.5, 1e5, 1_000, 12abc: the lexer's call
                }
                if (key == null) {
                    key = new StringBuilder(n + 8);
                }
                key.append(sql, copied, i).append(MARK).append('N');
                copied = j;
                prev = '0';
                i = j - 1;
                continue;
            }
            switch (c) {
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) {
                        return null;
                    }
                }
                case ';' -> semi = i;
                case '-' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '-') {
                        return null; // a comment
                    }
                }
                case ' ', '\t', '\n', '\r', ',', '.', ':', '~', '!', '@', '#', '^', '&', '|', '?', '+', '*', '%', '<', '>',
                        '=' -> {
                }
                default -> {
                    if (!isWordChar(c)) {
                        return null;
                    }
                }
            }
            prev = c;
        }
        if (depth != 0) {
            return null;
        }
        if (key == null) {
            return NO_CONSTANTS;
        }
        key.append(sql, copied, n);
        int from = 0;
        int to = semi >= 0 ? semi : n;
        while (from < to && isSpace(sql.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(sql.charAt(to - 1))) {
            to--;
        }
        return new StatementShape(sql, key.toString(), sql.substring(from, to));
    }

    /** A letter, digit or {@code _} (ASCII): what continues a name. */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The text with its constants replaced: equal keys mean equal strings but for the constants. */
    public String key() {
        return key;
    }

    /**
     * The facts of this string, from the analysis of another string of the same shape, which the caller has
     * checked does not {@linkplain Statement#readsConstants() read its constants} (once, when caching it: this
     * runs for every statement served from the cache).
     */
    public Statement bind(Statement sameShape) {
        assert !sameShape.readsConstants() : "facts that depend on constants cannot be shared: " + sameShape;
        return sameShape.withSource(source, text);
    }
}
