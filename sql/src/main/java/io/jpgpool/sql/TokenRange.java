package io.jpgpool.sql;

/**
 * The tokens {@code [from, end)} of one statement, as the parsers read them: outside that range there is no
 * keyword, type or operator, so a parser can look ahead without checking bounds.
 */
abstract class TokenRange {
    final Tokens tk;
    final int from;
    final int end;

    TokenRange(Tokens tk, int from, int end) {
        this.tk = tk;
        this.from = from;
        this.end = end;
    }

    /** Index of the last word of the dotted chain starting at {@code i} ({@code a.b.c}). */
    final int chainEnd(int i) {
        int j = i;
        while (j + 2 < end && tk.type[j + 1] == Tokens.DOT && tk.isWord(j + 2)) {
            j += 2;
        }
        return j;
    }

    final Keyword kw(int i) {
        return i >= from && i < end ? tk.keyword(i) : null;
    }

    final boolean is(int i, Keyword k) {
        return i >= from && i < end && tk.is(i, k);
    }

    final boolean isType(int i, int type) {
        return i >= from && i < end && tk.type[i] == type;
    }

    final boolean isOp(int i, String op) {
        return isType(i, Tokens.OP) && tk.end[i] - tk.start[i] == op.length() && tk.src.startsWith(op, tk.start[i]);
    }
}
