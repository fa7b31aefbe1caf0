package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the query cache must know of a statement's text beyond {@link Statement} (SEMANTICS F.3): the parts of
 * PostgreSQL's raw parse tree that Pgpool-II refuses to cache although they are no function call (a
 * {@code SQLValueFunction} such as {@code CURRENT_TIMESTAMP} or {@code CURRENT_USER}, a {@code TypeCast} to
 * {@code timestamptz} or {@code timetz}), {@code TABLESAMPLE}, the date/time input values that mean "now", and
 * the leading tokens of a utility statement (the options of {@code ALTER ROLE}, the database of
 * {@code DROP DATABASE}).
 *
 * <p>Read from tokens, never from the structure: a word in the wrong place (a column named {@code timetz})
 * makes a statement uncacheable, never the other way round. Immutable; never throws.
 */
public final class CacheSyntax {
    private static final int LEADING_TOKENS = 24;

    private final boolean sqlValueFunction;
    private final boolean timeZoneType;
    private final boolean tableSample;
    private final boolean nowLiteral;
    private final List<String> leadingTokens;

    private CacheSyntax(boolean sqlValueFunction, boolean timeZoneType, boolean tableSample, boolean nowLiteral,
            List<String> leadingTokens) {
        this.sqlValueFunction = sqlValueFunction;
        this.timeZoneType = timeZoneType;
        this.tableSample = tableSample;
        this.nowLiteral = nowLiteral;
        this.leadingTokens = leadingTokens;
    }

    /** The facts of {@code sql} (all of it; the cache only looks at single statements). Null is empty. */
    public static CacheSyntax of(String sql) {
        Tokens tk = Lexer.lex(sql == null ? "" : sql);
        boolean valueFunction = false;
        boolean tz = false;
        boolean sample = false;
        boolean now = false;
        List<String> leading = new ArrayList<>(Math.min(tk.count, LEADING_TOKENS));
        for (int i = 0; i < tk.count; i++) {
            int type = tk.type[i];
            if (leading.size() < LEADING_TOKENS) {
                leading.add(type == Tokens.IDENT ? Literals.identifier(tk, i) : tk.text(i));
            }
            if (type == Tokens.IDENT || type == Tokens.QIDENT) {
                Keyword k = tk.keyword(i);
                if (k != null && isSqlValueFunction(k)) {
                    valueFunction = true;
                } else if (k == Keyword.TABLESAMPLE) {
                    sample = true;
                } else if (k == Keyword.WITH && tk.is(i + 1, Keyword.TIME) && tk.is(i + 2, Keyword.ZONE)) {
                    tz = true; // TIMESTAMP [(p)] WITH TIME ZONE, TIME [(p)] WITH TIME ZONE
                } else if (k == null) {
                    String name = Literals.identifier(tk, i);
                    tz |= name.equals("timestamptz") || name.equals("timetz");
                }
            } else if (type == Tokens.STRING) {
                now |= meansNow(Literals.string(tk, i));
            }
        }
        return new CacheSyntax(valueFunction, tz, sample, now, List.copyOf(leading));
    }

    /** PostgreSQL 15's {@code SQLValueFunction} keywords (gram.y, func_expr_common_subexpr). */
    private static boolean isSqlValueFunction(Keyword k) {
        return switch (k) {
            case CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP, CURRENT_ROLE,
                    CURRENT_USER, SESSION_USER, USER, CURRENT_CATALOG, CURRENT_SCHEMA -> true;
            default -> false;
        };
    }

    /** Date/time input that PostgreSQL reads as the current time when the constant is parsed ({@code 'now'}). */
    private static boolean meansNow(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("now") || v.equals("today") || v.equals("tomorrow") || v.equals("yesterday");
    }

    /** {@code CURRENT_TIMESTAMP}, {@code CURRENT_USER}, {@code LOCALTIME}... anywhere. */
    public boolean sqlValueFunction() {
        return sqlValueFunction;
    }

    /** A mention of {@code timestamptz}, {@code timetz} or {@code ... WITH TIME ZONE}: a cast or typed literal. */
    public boolean timeZoneType() {
        return timeZoneType;
    }

    public boolean tableSample() {
        return tableSample;
    }

    /** A string constant {@code 'now'}, {@code 'today'}, {@code 'tomorrow'} or {@code 'yesterday'}. */
    public boolean nowLiteral() {
        return nowLiteral;
    }

    /**
     * The first tokens: unquoted words folded to lower case, everything else (quoted identifiers, constants,
     * punctuation) as written.
     */
    public List<String> leadingTokens() {
        return leadingTokens;
    }

    /** A token of {@link #leadingTokens()} as an identifier: quotes removed and doubled quotes undone. */
    public static String identifier(String token) {
        if (token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")) {
            return token.substring(1, token.length() - 1).replace("\"\"", "\"");
        }
        return token;
    }
}
