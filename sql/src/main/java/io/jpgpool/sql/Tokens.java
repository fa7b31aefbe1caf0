package io.jpgpool.sql;

import java.util.Arrays;

/**
 * The token stream of one SQL string, as parallel int arrays (no object per token).
 *
 * <p>Comments and whitespace are not tokens. Every bracket knows its partner ({@link #match}), so
 * the structural pass can look past a parenthesised list in O(1).
 */
final class Tokens {
    static final int IDENT = 1;       // unquoted identifier or keyword; kw[] holds the keyword
    static final int QIDENT = 2;      // "quoted" or U&"quoted" identifier
    static final int STRING = 3;      // any string constant: '', E'', N'', B'', X'', U&'', $$...$$
    static final int NUMBER = 4;
    static final int PARAM = 5;       // $1
    static final int OP = 6;          // operators, including single-character ones such as = and *
    static final int LPAREN = 7;
    static final int RPAREN = 8;
    static final int LBRACKET = 9;
    static final int RBRACKET = 10;
    static final int COMMA = 11;
    static final int SEMI = 12;
    static final int DOT = 13;
    static final int COLON = 14;
    static final int TYPECAST = 15;   // ::

    String src;
    int count;
    int[] type;
    int[] start;
    int[] end;
    int[] kw;
    /** For a bracket, the index of its partner, or -1 if it has none. */
    int[] match;
    /** A lexical error or unbalanced brackets anywhere in the string (SEMANTICS A.1.5). */
    boolean malformed;

    Tokens(String src) {
        this.src = src;
        allocate(capacityFor(src));
    }

    private static int capacityFor(String src) {
        return Math.max(16, Math.min(src.length() / 3 + 8, 1 << 16));
    }

    private void allocate(int capacity) {
        type = new int[capacity];
        start = new int[capacity];
        end = new int[capacity];
        kw = new int[capacity];
        match = new int[capacity];
    }

    /** Empties this for the tokens of {@code text}, keeping the arrays when they are large enough. */
    void reset(String text) {
        src = text;
        count = 0;
        malformed = false;
        int capacity = capacityFor(text);
        if (type.length < capacity) {
            allocate(capacity);
        }
    }

    void add(int tokenType, int from, int to, Keyword keyword) {
        if (count == type.length) {
            int n = count * 2;
            type = Arrays.copyOf(type, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            kw = Arrays.copyOf(kw, n);
            match = Arrays.copyOf(match, n);
        }
        type[count] = tokenType;
        start[count] = from;
        end[count] = to;
        kw[count] = keyword == null ? -1 : keyword.ordinal();
        match[count] = -1;
        count++;
    }

    /** The unquoted keyword at {@code i}, or null (quoted identifiers are never keywords). */
    Keyword keyword(int i) {
        return i >= 0 && i < count ? Keyword.byOrdinal(kw[i]) : null;
    }

    boolean is(int i, Keyword k) {
        return i >= 0 && i < count && kw[i] == k.ordinal();
    }

    boolean isType(int i, int tokenType) {
        return i >= 0 && i < count && type[i] == tokenType;
    }

    String text(int i) {
        return src.substring(start[i], end[i]);
    }

    /** Identifier-like: an unquoted word (keyword or not) or a quoted identifier. */
    boolean isWord(int i) {
        return i >= 0 && i < count && (type[i] == IDENT || type[i] == QIDENT);
    }

    /**
     * Usable as a column, table or alias name in PostgreSQL's {@code ColId} sense: a quoted
     * identifier, a plain word, an unreserved or a column-name keyword.
     */
    boolean isColId(int i) {
        if (i < 0 || i >= count) {
            return false;
        }
        if (type[i] == QIDENT) {
            return true;
        }
        if (type[i] != IDENT) {
            return false;
        }
        Keyword k = keyword(i);
        return k == null || k.category == Keyword.Category.UNRESERVED || k.category == Keyword.Category.COL_NAME;
    }
}
