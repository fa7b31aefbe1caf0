package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the facts routing needs from SQL text, the way Pgpool-II reads PostgreSQL's raw parse
 * tree (SEMANTICS A.1-A.5, A.8, A.11-A.13, B.1), without a full grammar: a careful lexer plus a
 * light structural pass.
 *
 * <p>Never throws, runs in time linear in the input and allocates little. Results depend only on
 * the text, so callers may cache them by text.
 */
public final class SqlAnalyzer {

    private SqlAnalyzer() {
    }

    /** Analyses the first statement of {@code sql}, plus whole-string facts. Null is treated as empty. */
    public static Statement analyze(String sql) {
        String source = sql == null ? "" : sql;
        try {
            return analyzeStrict(source);
        } catch (RuntimeException e) {
            // Defensive: a bug here must not take the session down; an unknown statement is a write.
            Statement.Builder fallback = new Statement.Builder();
            fallback.source = source;
            fallback.text = source.strip();
            fallback.kind = StatementKind.OTHER;
            fallback.malformed = true;
            return fallback.build();
        }
    }

    /** {@link #analyze} without the safety net, so that tests see any internal failure. */
    static Statement analyzeStrict(String source) {
        Statement.Builder b = new Statement.Builder();
        b.source = source;
        Tokens tk = Lexer.lex(source);
        int[] bounds = split(tk);
        int statements = bounds.length / 2;
        b.multiStatement = statements > 1;
        if (statements == 0) {
            b.kind = StatementKind.EMPTY;
            b.text = "";
        } else {
            b.text = segmentText(tk, bounds[0], bounds[1]);
            StatementParser.parse(tk, bounds[0], bounds[1], 0, b);
        }
        b.malformed |= tk.malformed; // a lexical error anywhere fails the whole parse (SEMANTICS A.1.5)
        return b.build();
    }

    /**
     * Splits {@code sql} at top-level semicolons (not inside strings, comments, dollar quotes,
     * parentheses or a {@code BEGIN ATOMIC} function body) and returns the non-empty statements'
     * texts, without their semicolons and surrounding whitespace.
     */
    public static List<String> splitStatements(String sql) {
        if (sql == null || sql.isEmpty()) {
            return List.of();
        }
        Tokens tk = Lexer.lex(sql);
        int[] bounds = split(tk);
        List<String> texts = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            texts.add(segmentText(tk, bounds[i], bounds[i + 1]));
        }
        return List.copyOf(texts);
    }

    /**
     * Token ranges {@code [from, to)} of the non-empty statements, as pairs. A semicolon splits
     * only at parenthesis depth 0 and outside the {@code BEGIN ATOMIC ... END} body of a
     * {@code CREATE FUNCTION/PROCEDURE} (PostgreSQL 14 SQL-standard bodies).
     */
    static int[] split(Tokens tk) {
        int[] bounds = new int[8];
        int n = 0;
        int segment = 0;
        int depth = 0;
        int blockDepth = 0;
        boolean routine = false;
        for (int i = 0; i < tk.count; i++) {
            int t = tk.type[i];
            if (t == Tokens.LPAREN || t == Tokens.LBRACKET) {
                depth++;
            } else if (t == Tokens.RPAREN || t == Tokens.RBRACKET) {
                depth = Math.max(0, depth - 1);
            } else if (t == Tokens.SEMI && depth == 0 && blockDepth == 0) {
                if (i > segment) {
                    if (n + 2 > bounds.length) {
                        bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
                    }
                    bounds[n++] = segment;
                    bounds[n++] = i;
                }
                segment = i + 1;
                routine = false;
            } else if (t == Tokens.IDENT && depth == 0) {
                if (i - segment <= 4 && startsRoutineDefinition(tk, segment, i)) {
                    routine = true;
                }
                if (routine) {
                    Keyword k = tk.keyword(i);
                    if (k == Keyword.BEGIN) {
                        blockDepth++;
                    } else if (k == Keyword.CASE && blockDepth > 0) {
                        blockDepth++; // CASE ... END inside the body
                    } else if (k == Keyword.END && blockDepth > 0) {
                        blockDepth--;
                    }
                }
            }
        }
        if (tk.count > segment) {
            if (n + 2 > bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, bounds.length + 2);
            }
            bounds[n++] = segment;
            bounds[n++] = tk.count;
        }
        return java.util.Arrays.copyOf(bounds, n);
    }

    /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} ending at token {@code i}. */
    private static boolean startsRoutineDefinition(Tokens tk, int segment, int i) {
        Keyword k = tk.keyword(i);
        if (k != Keyword.FUNCTION && k != Keyword.PROCEDURE) {
            return false;
        }
        if (i == segment + 1) {
            return tk.is(segment, Keyword.CREATE);
        }
        return i == segment + 3 && tk.is(segment, Keyword.CREATE) && tk.is(segment + 1, Keyword.OR)
                && tk.is(segment + 2, Keyword.REPLACE);
    }

    static String segmentText(Tokens tk, int from, int to) {
        // from the end of the previous statement's ';' so that leading comments stay with it
        int start = from == 0 ? 0 : tk.end[from - 1];
        int end = to < tk.count ? tk.start[to] : tk.src.length();
        return strip(tk.src, start, end);
    }

    private static String strip(String s, int from, int to) {
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
    }
}
