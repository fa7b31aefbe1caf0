package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Native replication's timestamp rewriting (SEMANTICS B.8): every node must store the same time, so the text
 * the other nodes get has the main node's transaction time in place of {@code now()},
 * {@code CURRENT_TIMESTAMP}, {@code CURRENT_DATE}, {@code CURRENT_TIME}, {@code LOCALTIME},
 * {@code LOCALTIMESTAMP}, {@code transaction_timestamp()} and {@code 'now'::<time type>}; an INSERT gets explicit
 * values for the columns whose default reads the clock (omitted columns, {@code DEFAULT} items,
 * {@code DEFAULT VALUES}), an UPDATE for {@code SET column = DEFAULT}.
 *
 * <p>The clock value is any SQL expression of the time as text: a literal ({@code '2026-12-02 10:00:00+00'})
 * for text sent as is, or a parameter ({@code $4}) for a named prepared statement, whose Binds then carry it.
 * Not rewritten, as in Pgpool-II: {@code statement_timestamp()}, {@code clock_timestamp()}, {@code random()},
 * sequences, and the defaults of {@code INSERT ... SELECT}. Works on tokens: text it does not understand is
 * left alone.
 */
public final class TimestampRewriter {
    /** A column whose default expression reads the clock ({@code position}: 0-based, among the live columns). */
    public record ClockDefault(String column, int position, String expression) {
    }

    /**
     * What rewriting needs of a table written to: its live columns in order, and those whose default reads the
     * clock (none: the table needs nothing).
     */
    public record TableClock(List<String> columns, List<ClockDefault> defaults) {
        public TableClock {
            columns = List.copyOf(columns);
            defaults = List.copyOf(defaults);
        }

        ClockDefault byName(String column) {
            for (ClockDefault d : defaults) {
                if (d.column().equals(column)) {
                    return d;
                }
            }
            return null;
        }

        ClockDefault byPosition(int position) {
            for (ClockDefault d : defaults) {
                if (d.position() == position) {
                    return d;
                }
            }
            return null;
        }
    }

    /** A rewritten text; {@code changed} is false when nothing read the clock. */
    public record Result(String text, boolean changed) {
    }

    private record Edit(int from, int to, String replacement) {
    }

    private TimestampRewriter() {
    }

    /** The highest {@code $n} of the text (0: none): a parameter added for the clock comes after it. */
    public static int highestParameter(String sql) {
        Tokens tk = Lexer.lex(sql);
        int max = 0;
        for (int i = 0; i < tk.count; i++) {
            if (tk.type[i] == Tokens.PARAM) {
                try {
                    max = Math.max(max, Integer.parseInt(tk.text(i).substring(1)));
                } catch (NumberFormatException e) {
                    // not a number: PostgreSQL refuses it anyway
                }
            }
        }
        return max;
    }

    /** Whether the text reads the clock itself (the defaults of a table aside). */
    public static boolean readsClock(String sql) {
        Tokens tk = Lexer.lex(sql);
        List<Edit> edits = new ArrayList<>();
        clockEdits(tk, 0, tk.count, "x", edits);
        return !edits.isEmpty();
    }

    /**
     * The table an INSERT writes, or an UPDATE ({@code SET col = DEFAULT}): the one whose clock defaults the
     * rewrite needs; null for other statements.
     */
    public static QualifiedName target(String sql) {
        Tokens tk = Lexer.lex(sql);
        int i = skipWith(tk, 0);
        if (tk.is(i, Keyword.INSERT) && tk.is(i + 1, Keyword.INTO)) {
            return name(tk, i + 2);
        }
        if (tk.is(i, Keyword.UPDATE)) {
            return name(tk, tk.is(i + 1, Keyword.ONLY) ? i + 2 : i + 1);
        }
        return null;
    }

    /**
     * Rewrites {@code sql} with {@code clock} (a SQL expression of the time as text) for the clock;
     * {@code tables} gives the clock defaults of the INSERT/UPDATE target (null: unknown or none).
     */
    public static Result rewrite(String sql, String clock, Function<QualifiedName, TableClock> tables) {
        Tokens tk = Lexer.lex(sql);
        if (tk.malformed) {
            return new Result(sql, false);
        }
        List<Edit> edits = new ArrayList<>();
        clockEdits(tk, 0, tk.count, clock, edits);
        int i = skipWith(tk, 0);
        QualifiedName target = target(sql);
        TableClock table = target == null || tables == null ? null : tables.apply(target);
        if (table != null && !table.defaults().isEmpty()) {
            if (tk.is(i, Keyword.INSERT)) {
                insertDefaults(tk, i, table, clock, edits);
            } else if (tk.is(i, Keyword.UPDATE)) {
                updateDefaults(tk, i, table, clock, edits);
            }
        }
        if (edits.isEmpty()) {
            return new Result(sql, false);
        }
        return new Result(apply(sql, edits), true);
    }

    /** A default expression as the other nodes must compute it. */
    static String rewriteExpression(String expression, String clock) {
        return rewrite(expression, clock, null).text();
    }

    // ------------------------------------------------------------------ the clock itself

    private static void clockEdits(Tokens tk, int from, int to, String clock, List<Edit> edits) {
        for (int i = from; i < to; i++) {
            Keyword k = tk.keyword(i);
            if (k != null && tk.type[i] == Tokens.IDENT) {
                String type = switch (k) {
                    case CURRENT_TIMESTAMP -> "timestamptz";
                    case CURRENT_DATE -> "date";
                    case CURRENT_TIME -> "timetz";
                    case LOCALTIME -> "time";
                    case LOCALTIMESTAMP -> "timestamp";
                    default -> null;
                };
                if (type != null) {
                    int end = i;
                    String precision = "";
                    if (k != Keyword.CURRENT_DATE && tk.isType(i + 1, Tokens.LPAREN) && tk.isType(i + 2, Tokens.NUMBER)
                            && tk.isType(i + 3, Tokens.RPAREN)) {
                        precision = "(" + tk.text(i + 2) + ")";
                        end = i + 3;
                    }
                    edits.add(new Edit(tk.start[i], tk.end[end], cast(clock, type + precision)));
                    i = end;
                    continue;
                }
            }
            if (tk.type[i] == Tokens.IDENT && k == null && isClockFunction(Literals.identifier(tk, i))
                    && tk.isType(i + 1, Tokens.LPAREN) && tk.isType(i + 2, Tokens.RPAREN)) {
                int start = i;
                if (tk.isType(i - 1, Tokens.DOT)) {
                    if (!(tk.isWord(i - 2) && Literals.identifier(tk, i - 2).equals("pg_catalog"))
                            || tk.isType(i - 3, Tokens.DOT)) {
                        continue; // another schema's function of that name
                    }
                    start = i - 2;
                }
                edits.add(new Edit(tk.start[start], tk.end[i + 2], cast(clock, "timestamptz")));
                i += 2;
                continue;
            }
            if (tk.type[i] == Tokens.STRING && "now".equals(Literals.string(tk, i).strip().toLowerCase(Locale.ROOT))) {
                if (tk.isType(i + 1, Tokens.TYPECAST) && isTimeType(tk, i + 2)) {
                    edits.add(new Edit(tk.start[i], tk.end[i], cast(clock, "timestamptz")));
                } else if (isTimeType(tk, i - 1) && !tk.isType(i - 2, Tokens.TYPECAST)) {
                    String type = Literals.identifier(tk, i - 1);
                    edits.add(new Edit(tk.start[i - 1], tk.end[i], cast(cast(clock, "timestamptz"), type)));
                }
            }
        }
    }

    private static boolean isClockFunction(String name) {
        return name.equals("now") || name.equals("transaction_timestamp");
    }

    private static boolean isTimeType(Tokens tk, int i) {
        if (!tk.isWord(i)) {
            return false;
        }
        String name = Literals.identifier(tk, i);
        return switch (name) {
            case "date", "timestamp", "timestamptz", "time", "timetz" -> true;
            default -> false;
        };
    }

    private static String cast(String value, String type) {
        return "CAST(" + value + " AS " + type + ")";
    }

    // ------------------------------------------------------------------ defaults of INSERT and UPDATE

    private static void insertDefaults(Tokens tk, int insert, TableClock table, String clock, List<Edit> edits) {
        int i = afterName(tk, insert + 2);
        if (i < 0) {
            return;
        }
        if (tk.is(i, Keyword.AS)) {
            i += 2;
        } else if (tk.isColId(i) && !tk.is(i, Keyword.DEFAULT) && !tk.is(i, Keyword.VALUES)
                && !isWord(tk, i, "overriding") && !tk.is(i, Keyword.SELECT)) {
            i++;
        }
        List<String> listed = null;
        int listClose = -1;
        if (tk.isType(i, Tokens.LPAREN) && !tk.is(i + 1, Keyword.SELECT) && !tk.is(i + 1, Keyword.WITH)
                && !tk.is(i + 1, Keyword.VALUES) && !tk.isType(i + 1, Tokens.LPAREN)) {
            listClose = tk.match[i];
            if (listClose < 0) {
                return;
            }
            listed = columnList(tk, i + 1, listClose);
            i = listClose + 1;
        }
        if (isWord(tk, i, "overriding")) {
            i += 3; // OVERRIDING { SYSTEM | USER } VALUE
        }
        if (tk.is(i, Keyword.DEFAULT) && tk.is(i + 1, Keyword.VALUES) && listed == null) {
            StringBuilder cols = new StringBuilder("(");
            StringBuilder vals = new StringBuilder("(");
            for (ClockDefault d : table.defaults()) {
                cols.append(cols.length() == 1 ? "" : ", ").append(quote(d.column()));
                vals.append(vals.length() == 1 ? "" : ", ").append(rewriteExpression(d.expression(), clock));
            }
            edits.add(new Edit(tk.start[i], tk.end[i + 1], cols + ") VALUES " + vals + ")"));
            return;
        }
        if (!tk.is(i, Keyword.VALUES)) {
            return; // INSERT ... SELECT: defaults are not rewritten (SEMANTICS B.8)
        }
        List<ClockDefault> omitted = new ArrayList<>();
        if (listed != null) {
            for (ClockDefault d : table.defaults()) {
                if (!listed.contains(d.column())) {
                    omitted.add(d);
                }
            }
            StringBuilder more = new StringBuilder();
            for (ClockDefault d : omitted) {
                more.append(", ").append(quote(d.column()));
            }
            if (more.length() > 0) {
                edits.add(new Edit(tk.start[listClose], tk.start[listClose], more.toString()));
            }
        }
        for (int row = i + 1; tk.isType(row, Tokens.LPAREN); ) {
            int close = tk.match[row];
            if (close < 0) {
                return;
            }
            List<int[]> items = items(tk, row + 1, close);
            for (int p = 0; p < items.size(); p++) {
                int[] item = items.get(p);
                if (item[1] - item[0] == 1 && tk.is(item[0], Keyword.DEFAULT)) {
                    ClockDefault d = listed != null ? (p < listed.size() ? table.byName(listed.get(p)) : null)
                            : table.byPosition(p);
                    if (d != null) {
                        edits.add(new Edit(tk.start[item[0]], tk.end[item[0]], rewriteExpression(d.expression(),
                                clock)));
                    }
                }
            }
            StringBuilder more = new StringBuilder();
            if (listed != null) {
                for (ClockDefault d : omitted) {
                    more.append(", ").append(rewriteExpression(d.expression(), clock));
                }
            } else {
                int last = -1;
                for (ClockDefault d : table.defaults()) {
                    last = Math.max(last, d.position());
                }
                for (int p = items.size(); p <= last; p++) {
                    ClockDefault d = table.byPosition(p);
                    more.append(items.isEmpty() && p == 0 ? "" : ", ")
                            .append(d == null ? "DEFAULT" : rewriteExpression(d.expression(), clock));
                }
            }
            if (more.length() > 0) {
                edits.add(new Edit(tk.start[close], tk.start[close], more.toString()));
            }
            row = tk.isType(close + 1, Tokens.COMMA) ? close + 2 : -1;
        }
    }

    private static void updateDefaults(Tokens tk, int update, TableClock table, String clock, List<Edit> edits) {
        int i = update + 1;
        for (; i < tk.count && !tk.is(i, Keyword.SET); i++) {
            if (tk.isType(i, Tokens.LPAREN)) {
                return;
            }
        }
        for (int j = i + 1; j < tk.count; j++) {
            if (tk.is(j, Keyword.FROM) || tk.is(j, Keyword.WHERE) || tk.is(j, Keyword.RETURNING)) {
                return;
            }
            if (tk.isType(j, Tokens.LPAREN) && tk.match[j] > j) {
                j = tk.match[j];
                continue;
            }
            if (tk.isColId(j) && tk.isType(j + 1, Tokens.OP) && tk.text(j + 1).equals("=")
                    && tk.is(j + 2, Keyword.DEFAULT)) {
                ClockDefault d = table.byName(Literals.identifier(tk, j));
                if (d != null) {
                    edits.add(new Edit(tk.start[j + 2], tk.end[j + 2], rewriteExpression(d.expression(), clock)));
                }
            }
        }
    }

    /** Top-level items of a comma list between two tokens: each as [first token, end token). */
    private static List<int[]> items(Tokens tk, int from, int to) {
        List<int[]> items = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            if ((tk.isType(i, Tokens.LPAREN) || tk.isType(i, Tokens.LBRACKET)) && tk.match[i] > i) {
                i = tk.match[i];
            } else if (tk.isType(i, Tokens.COMMA)) {
                items.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            items.add(new int[] {start, to});
        }
        return items;
    }

    private static List<String> columnList(Tokens tk, int from, int to) {
        List<String> names = new ArrayList<>();
        for (int[] item : items(tk, from, to)) {
            names.add(tk.isWord(item[0]) ? Literals.identifier(tk, item[0]) : "");
        }
        return names;
    }

    // ------------------------------------------------------------------ names and text

    private static int skipWith(Tokens tk, int i) {
        if (!tk.is(i, Keyword.WITH)) {
            return i;
        }
        for (int j = i + 1; j < tk.count; j++) {
            if (tk.isType(j, Tokens.LPAREN) && tk.match[j] > j) {
                j = tk.match[j];
                if (!tk.isType(j + 1, Tokens.COMMA)) {
                    return j + 1;
                }
            }
        }
        return i;
    }

    private static QualifiedName name(Tokens tk, int i) {
        if (!tk.isWord(i)) {
            return null;
        }
        if (tk.isType(i + 1, Tokens.DOT) && tk.isWord(i + 2)) {
            return QualifiedName.of(Literals.identifier(tk, i), Literals.identifier(tk, i + 2));
        }
        return QualifiedName.of(Literals.identifier(tk, i));
    }

    private static int afterName(Tokens tk, int i) {
        if (!tk.isWord(i)) {
            return -1;
        }
        return tk.isType(i + 1, Tokens.DOT) && tk.isWord(i + 2) ? i + 3 : i + 1;
    }

    private static boolean isWord(Tokens tk, int i, String word) {
        return tk.isType(i, Tokens.IDENT) && Literals.identifier(tk, i).equals(word);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String apply(String sql, List<Edit> edits) {
        edits.sort(Comparator.comparingInt(Edit::from).thenComparingInt(Edit::to));
        StringBuilder out = new StringBuilder(sql.length() + 64 * edits.size());
        int at = 0;
        for (Edit e : edits) {
            if (e.from() < at) {
                continue; // overlapping (a DEFAULT inside an edited span): the first edit wins
            }
            out.append(sql, at, e.from()).append(e.replacement());
            at = e.to();
        }
        return out.append(sql, at, sql.length()).toString();
    }
}
