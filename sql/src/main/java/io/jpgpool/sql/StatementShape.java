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
