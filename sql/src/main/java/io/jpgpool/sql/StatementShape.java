package io.jpgpool.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        // Scanned as ISO-8859-1 bytes (for the Latin-1 strings Java keeps as bytes, a plain copy): everything
        // from 128 up is refused, and a '?' that stands for a character beyond Latin-1 is caught below.
        byte[] b = sql.getBytes(StandardCharsets.ISO_8859_1);
        int n = b.length;
        int depth = 0;
        int semi = -1;
        int[] runs = null; // the constants: start and end of each digit run
        int count = 0;
        boolean afterWord = false; // the previous character continues a name (or ends a constant)
        boolean afterDot = false;
        for (int i = 0; i < n; i++) {
            byte k = classOf(b[i]);
            if (semi >= 0 && k != SPACE) {
                return null; // something after the ';'
            }
            switch (k) {
                case WORD -> {
                    afterWord = true;
                    afterDot = false;
                    continue;
                }
                case DIGIT -> {
                    if (afterDot) {
                        return null; // .5 and t.1 lex as numbers with a dot
                    }
                    if (afterWord) {
                        continue; // part of a name (t1)
                    }
                    int j = i + 1;
                    while (j < n && classOf(b[j]) == DIGIT) {
                        j++;
                    }
                    if (j < n && (classOf(b[j]) == WORD || b[j] == '.')) {
                        return null; // 1.5, 1e5, 1_000, 12abc: the lexer's call
                    }
                    if (runs == null) {
                        runs = new int[4];
                    } else if (2 * count == runs.length) {
                        runs = Arrays.copyOf(runs, 2 * runs.length);
                    }
                    runs[2 * count] = i;
                    runs[2 * count + 1] = j;
                    count++;
                    afterWord = true;
                    i = j - 1;
                    continue;
                }
                case OPEN -> depth++;
                case CLOSE -> {
                    if (--depth < 0) {
                        return null;
                    }
                }
                case SEMI -> semi = i;
                case MINUS -> {
                    if (i + 1 < n && b[i + 1] == '-') {
                        return null; // a comment
                    }
                }
                case PUNCT -> {
                    if (b[i] == '?' && sql.charAt(i) != '?') {
                        return null; // a character ISO-8859-1 cannot hold
                    }
                }
                case SPACE -> {
                }
                default -> {
                    return null; // a quote, $, a comment, a bracket, /, a control or non-ASCII character
                }
            }
            afterWord = false;
            afterDot = b[i] == '.';
        }
        if (depth != 0) {
            return null;
        }
        if (count == 0) {
            return NO_CONSTANTS;
        }
        int length = n;
        for (int r = 0; r < count; r++) {
            length -= runs[2 * r + 1] - runs[2 * r] - 2;
        }
        byte[] key = new byte[length];
        int copied = 0;
        int at = 0;
        for (int r = 0; r < count; r++) {
            int from = runs[2 * r];
            System.arraycopy(b, copied, key, at, from - copied);
            at += from - copied;
            key[at++] = MARK;
            key[at++] = 'N';
            copied = runs[2 * r + 1];
        }
        System.arraycopy(b, copied, key, at, n - copied);
        int from = 0;
        int to = semi >= 0 ? semi : n;
        while (from < to && classOf(b[from]) == SPACE) {
            from++;
        }
        while (to > from && classOf(b[to - 1]) == SPACE) {
            to--;
        }
        return new StatementShape(sql, new String(key, StandardCharsets.ISO_8859_1), sql.substring(from, to));
    }

    // what ofPlain makes of each ASCII character, in one table look-up instead of a chain of tests
    private static final byte REJECT = 0;
    private static final byte WORD = 1;
    private static final byte DIGIT = 2;
    private static final byte SPACE = 3;
    private static final byte PUNCT = 4;
    private static final byte OPEN = 5;
    private static final byte CLOSE = 6;
    private static final byte SEMI = 7;
    private static final byte MINUS = 8;
    private static final byte[] CLASSES = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            CLASSES[c] = WORD;
            CLASSES[Character.toUpperCase(c)] = WORD;
        }
        CLASSES['_'] = WORD;
        for (char c = '0'; c <= '9'; c++) {
            CLASSES[c] = DIGIT;
        }
        for (char c : " \t\n\r".toCharArray()) {
            CLASSES[c] = SPACE;
        }
        for (char c : ",.:~!@#^&|?+*%<>=".toCharArray()) {
            CLASSES[c] = PUNCT;
        }
        CLASSES['('] = OPEN;
        CLASSES[')'] = CLOSE;
        CLASSES[';'] = SEMI;
        CLASSES['-'] = MINUS;
    }

    /** The class of a byte of ISO-8859-1 text: anything from 128 up is refused. */
    private static byte classOf(byte c) {
        return c >= 0 ? CLASSES[c] : REJECT;
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
