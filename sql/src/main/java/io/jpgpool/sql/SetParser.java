package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * SET, RESET and SHOW, following the {@code VariableSetStmt} / {@code VariableShowStmt} rules of
 * PostgreSQL's grammar, because Pgpool-II decides their destination from the parameter name and
 * the value nodes (SEMANTICS A.2, A.8). Malformed input marks the statement malformed.
 */
final class SetParser extends TokenRange {
    private final Statement.Builder b;

    SetParser(Tokens tk, int from, int end, Statement.Builder b) {
        super(tk, from, end);
        this.b = b;
    }

    void set() {
        b.kind = StatementKind.SET;
        int p = from + 1;
        boolean local = false;
        if (is(p, Keyword.LOCAL)) {
            local = true;
            p++;
        } else if (is(p, Keyword.SESSION) && !is(p + 1, Keyword.AUTHORIZATION)
                && !is(p + 1, Keyword.CHARACTERISTICS)) {
            p++;
        }
        if (!tk.isWord(p) || p >= end) {
            malformed();
            return;
        }
        boolean generic = isAssign(chainEnd(p) + 1);
        Keyword k = kw(p);
        if (!generic && k != null) {
            switch (k) {
                case TRANSACTION -> {
                    if (is(p + 1, Keyword.SNAPSHOT)) {
                        single(SetCommand.Kind.MULTI, "transaction snapshot", local, p + 2, true);
                    } else {
                        TransactionMode mode = StatementParser.transactionModes(tk, p + 1, end, b);
                        if (p + 1 >= end) {
                            malformed(); // SET TRANSACTION needs at least one mode
                        }
                        command(SetCommand.Kind.MULTI, "transaction", local, p + 1, List.of(), mode);
                    }
                    return;
                }
                case SESSION -> {
                    if (is(p + 1, Keyword.CHARACTERISTICS) && is(p + 2, Keyword.AS) && is(p + 3, Keyword.TRANSACTION)) {
                        TransactionMode mode = StatementParser.transactionModes(tk, p + 4, end, b);
                        if (p + 4 >= end) {
                            malformed();
                        }
                        command(SetCommand.Kind.MULTI, "session characteristics", local, p + 4, List.of(), mode);
                        return;
                    }
                    if (is(p + 1, Keyword.AUTHORIZATION)) {
                        single(SetCommand.Kind.VALUE, "session_authorization", local, p + 2, false);
                        return;
                    }
                }
                case TIME -> {
                    if (is(p + 1, Keyword.ZONE)) {
                        timeZone(local, p + 2);
                        return;
                    }
                }
                case SCHEMA -> {
                    single(SetCommand.Kind.VALUE, "search_path", local, p + 1, true);
                    return;
                }
                case NAMES -> {
                    if (p + 1 >= end) {
                        command(SetCommand.Kind.DEFAULT, "client_encoding", local, p + 1, List.of(), null);
                    } else {
                        single(SetCommand.Kind.VALUE, "client_encoding", local, p + 1, false);
                    }
                    return;
                }
                case ROLE -> {
                    single(SetCommand.Kind.VALUE, "role", local, p + 1, false);
                    return;
                }
                case XML -> {
                    if (is(p + 1, Keyword.OPTION)) {
                        single(SetCommand.Kind.VALUE, "xmloption", local, p + 2, false);
                        return;
                    }
                }
                case CATALOG -> {
                    single(SetCommand.Kind.VALUE, "catalog", local, p + 1, true);
                    return;
                }
                default -> { }
            }
        }
        // generic_set: var_name {TO | =} {var_list | DEFAULT}, or var_name FROM CURRENT
        int last = chainEnd(p);
        String name = varName(p, last);
        int v = last + 1;
        if (is(v, Keyword.FROM) && is(v + 1, Keyword.CURRENT) && v + 2 == end) {
            command(SetCommand.Kind.FROM_CURRENT, name, local, v + 2, List.of(), null);
            return;
        }
        if (!isAssign(v)) {
            malformed();
            command(SetCommand.Kind.VALUE, name, local, v, List.of(), null);
            return;
        }
        values(name, local, v + 1);
    }

    void reset() {
        b.kind = StatementKind.RESET;
        int p = from + 1;
        String name;
        int after;
        if (is(p, Keyword.ALL)) {
            b.setCommand = new SetCommand(SetCommand.Kind.RESET_ALL, "all", false, "", List.of(), null);
            after = p + 1;
        } else {
            if (is(p, Keyword.TIME) && is(p + 1, Keyword.ZONE)) {
                name = "timezone";
                after = p + 2;
            } else if (is(p, Keyword.TRANSACTION) && is(p + 1, Keyword.ISOLATION) && is(p + 2, Keyword.LEVEL)) {
                name = "transaction_isolation";
                after = p + 3;
            } else if (is(p, Keyword.SESSION) && is(p + 1, Keyword.AUTHORIZATION)) {
                name = "session_authorization";
                after = p + 2;
            } else if (tk.isWord(p) && p < end) {
                int last = chainEnd(p);
                name = varName(p, last);
                after = last + 1;
            } else {
                malformed();
                return;
            }
            b.setCommand = new SetCommand(SetCommand.Kind.RESET, name, false, "", List.of(), null);
        }
        if (after != end) {
            malformed();
        }
    }

    void show() {
        b.kind = StatementKind.SHOW;
        int p = from + 1;
        int after;
        if (is(p, Keyword.TIME) && is(p + 1, Keyword.ZONE)) {
            b.showName = "timezone";
            after = p + 2;
        } else if (is(p, Keyword.TRANSACTION) && is(p + 1, Keyword.ISOLATION) && is(p + 2, Keyword.LEVEL)) {
            b.showName = "transaction_isolation";
            after = p + 3;
        } else if (is(p, Keyword.SESSION) && is(p + 1, Keyword.AUTHORIZATION)) {
            b.showName = "session_authorization";
            after = p + 2;
        } else if (is(p, Keyword.ALL)) {
            b.showName = "all";
            after = p + 1;
        } else if (tk.isWord(p) && p < end) {
            int last = chainEnd(p);
            b.showName = varName(p, last);
            after = last + 1;
        } else {
            malformed();
            return;
        }
        if (after != end) {
            malformed();
        }
    }

    private void timeZone(boolean local, int p) {
        if (p + 1 == end && (is(p, Keyword.LOCAL) || is(p, Keyword.DEFAULT))) {
            command(SetCommand.Kind.DEFAULT, "timezone", local, p, List.of(), null);
            return;
        }
        if (is(p, Keyword.INTERVAL)) {
            // INTERVAL '...' [fields] or INTERVAL (p) '...': keep the string as the value
            List<SetCommand.Value> values = new ArrayList<>();
            for (int k = p + 1; k < end; k++) {
                if (tk.type[k] == Tokens.STRING) {
                    values.add(new SetCommand.Value(Literals.string(tk, k), false));
                    break;
                }
            }
            if (values.isEmpty()) {
                malformed();
            }
            command(SetCommand.Kind.VALUE, "timezone", local, p, values, null);
            return;
        }
        single(SetCommand.Kind.VALUE, "timezone", local, p, false);
    }

    /** A single value (a string constant only, when {@code stringOnly}) running to the end. */
    private void single(SetCommand.Kind kind, String name, boolean local, int p, boolean stringOnly) {
        if (is(p, Keyword.DEFAULT) && p + 1 == end && !stringOnly) {
            command(SetCommand.Kind.DEFAULT, name, local, p, List.of(), null);
            return;
        }
        List<SetCommand.Value> values = new ArrayList<>(1);
        int next = value(p, values);
        if (next != end || values.isEmpty() || (stringOnly && !isType(p, Tokens.STRING))) {
            malformed();
        }
        command(kind, name, local, p, values, null);
    }

    private void values(String name, boolean local, int p) {
        if (is(p, Keyword.DEFAULT) && p + 1 == end) {
            command(SetCommand.Kind.DEFAULT, name, local, p, List.of(), null);
            return;
        }
        List<SetCommand.Value> values = new ArrayList<>(2);
        int q = p;
        while (true) {
            int next = value(q, values);
            if (next < 0) {
                malformed();
                break;
            }
            if (next == end) {
                break;
            }
            if (!isType(next, Tokens.COMMA)) {
                malformed();
                break;
            }
            q = next + 1;
        }
        command(SetCommand.Kind.VALUE, name, local, p, values, null);
    }

    /**
     * One {@code var_value}: a string, a non-reserved word, TRUE/FALSE/ON, or a signed number.
     * Returns the index after it, or -1.
     */
    private int value(int p, List<SetCommand.Value> out) {
        if (p >= end) {
            return -1;
        }
        int t = tk.type[p];
        if (t == Tokens.STRING) {
            out.add(new SetCommand.Value(Literals.string(tk, p), false));
            return p + 1;
        }
        if (t == Tokens.NUMBER) {
            out.add(new SetCommand.Value(tk.text(p), true));
            return p + 1;
        }
        if (t == Tokens.OP && (isOp(p, "-") || isOp(p, "+")) && isType(p + 1, Tokens.NUMBER)) {
            out.add(new SetCommand.Value(tk.text(p) + tk.text(p + 1), true));
            return p + 2;
        }
        if (t == Tokens.QIDENT) {
            out.add(new SetCommand.Value(Literals.identifier(tk, p), false));
            return p + 1;
        }
        if (t == Tokens.IDENT) {
            Keyword k = tk.keyword(p);
            if (k != null && k.reserved() && k != Keyword.TRUE && k != Keyword.FALSE && k != Keyword.ON) {
                return -1;
            }
            out.add(new SetCommand.Value(Literals.identifier(tk, p), false));
            return p + 1;
        }
        return -1;
    }

    private void command(SetCommand.Kind kind, String name, boolean local, int valueFrom, List<SetCommand.Value> values,
                         TransactionMode mode) {
        String text = valueFrom < end ? tk.src.substring(tk.start[valueFrom], tk.end[end - 1]) : "";
        b.setCommand = new SetCommand(kind, name, local, text, values, mode);
        if (mode != null) {
            b.transactionMode = mode;
        }
    }

    /** {@code a.b.c} as the grammar's var_name: parts folded and joined with dots. */
    private String varName(int first, int last) {
        if (first == last) {
            return Literals.identifier(tk, first);
        }
        StringBuilder sb = new StringBuilder();
        for (int k = first; k <= last; k += 2) {
            if (k > first) {
                sb.append('.');
            }
            sb.append(Literals.identifier(tk, k));
        }
        return sb.toString();
    }

    private boolean isAssign(int p) {
        return is(p, Keyword.TO) || isOp(p, "=");
    }

    private void malformed() {
        b.malformed = true;
    }
}
