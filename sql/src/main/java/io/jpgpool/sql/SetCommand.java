package io.jpgpool.sql;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@code SET} or {@code RESET} statement does, in the shape of PostgreSQL's raw
 * {@code VariableSetStmt}, which is what Pgpool-II inspects (SEMANTICS A.2, A.8).
 *
 * <p>Parameter names are lower case as the grammar produces them: {@code SET TIME ZONE} is
 * {@code timezone}, {@code SET NAMES} is {@code client_encoding}, {@code SET SCHEMA} is
 * {@code search_path}, {@code SET ROLE} is {@code role}, {@code SET SESSION AUTHORIZATION} is
 * {@code session_authorization}, {@code SET XML OPTION} is {@code xmloption}; the transaction
 * forms are {@code transaction}, {@code session characteristics} and
 * {@code transaction snapshot} ({@link Kind#MULTI}); {@code RESET TRANSACTION ISOLATION LEVEL}
 * is {@code transaction_isolation}; {@code RESET ALL} is {@code all}.
 *
 * @param kind            the form of the statement
 * @param parameter       the parameter name, lower case (quoted names keep their case)
 * @param local           {@code SET LOCAL}
 * @param valueText       the value as written (after {@code TO}/{@code =}), or empty
 * @param values          the value list, each as the server receives it (strings unquoted)
 * @param transactionMode the mode list of the {@code transaction}/{@code session characteristics}
 *                        forms, else null
 */
public record SetCommand(Kind kind, String parameter, boolean local, String valueText, List<Value> values,
                         TransactionMode transactionMode) {

    /** Mirrors PostgreSQL's {@code VariableSetKind}. */
    public enum Kind {
        /** {@code SET name TO value[, ...]}. */
        VALUE,
        /** {@code SET name TO DEFAULT}. */
        DEFAULT,
        /** {@code SET name FROM CURRENT}. */
        FROM_CURRENT,
        /** {@code SET TRANSACTION ...}, {@code SET SESSION CHARACTERISTICS AS TRANSACTION ...}, {@code SET TRANSACTION SNAPSHOT}. */
        MULTI,
        /** {@code RESET name}. */
        RESET,
        /** {@code RESET ALL}. */
        RESET_ALL
    }

    /**
     * One item of a value list.
     *
     * @param text    the value: string constants decoded, words folded as identifiers, numbers
     *                as written (with their sign)
     * @param numeric true for a numeric constant (PostgreSQL's Integer/Float value node)
     */
    public record Value(String text, boolean numeric) {
        public Value {
            Objects.requireNonNull(text, "text");
        }

        /** An integer constant (Integer node), not a float. */
        boolean integer() {
            if (!numeric) {
                return false;
            }
            String t = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
            if (t.isEmpty() || t.length() > 10) {
                return false;
            }
            for (int i = 0; i < t.length(); i++) {
                if (!Lexer.isDigit(t.charAt(i))) {
                    return false;
                }
            }
            return Long.parseLong(t) <= Integer.MAX_VALUE;
        }

        boolean zero() {
            return integer() && Long.parseLong(text.replace("+", "")) == 0;
        }
    }

    public SetCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parameter, "parameter");
        valueText = valueText == null ? "" : valueText;
        values = List.copyOf(values);
    }

    /** The first value's text, or null when there is none. */
    public String value() {
        return values.isEmpty() ? null : values.get(0).text();
    }

    private boolean transactionForm() {
        return kind == Kind.MULTI && ("transaction".equals(parameter) || "session characteristics".equals(parameter));
    }

    /**
     * {@code SET transaction_read_only = off|f|false|0} or
     * {@code SET [SESSION CHARACTERISTICS AS] TRANSACTION ... READ WRITE}: primary only
     * (SEMANTICS A.2).
     */
    public boolean setsTransactionReadWrite() {
        if (kind == Kind.VALUE && "transaction_read_only".equals(parameter)) {
            for (Value v : values) {
                if (v.numeric() ? v.zero() : isOneOf(v.text(), "off", "f", "false")) {
                    return true;
                }
            }
            return false;
        }
        return transactionForm() && transactionMode != null && transactionMode.readWrite();
    }

    /**
     * {@code SET [default_]transaction_isolation = serializable} or
     * {@code SET [SESSION CHARACTERISTICS AS] TRANSACTION ISOLATION LEVEL SERIALIZABLE}: primary
     * only, and the session becomes SERIALIZABLE (SEMANTICS A.2, A.4).
     */
    public boolean setsSerializable() {
        if (kind == Kind.VALUE
                && ("transaction_isolation".equals(parameter) || "default_transaction_isolation".equals(parameter))) {
            for (Value v : values) {
                if (!v.numeric() && v.text().equalsIgnoreCase("serializable")) {
                    return true;
                }
            }
            return false;
        }
        return transactionForm() && transactionMode != null && transactionMode.serializable();
    }

    /**
     * {@code SET transaction_read_only = on|t|true|<non-zero integer>} or
     * {@code SET [SESSION CHARACTERISTICS AS] TRANSACTION ... READ ONLY}: never counts as a write
     * (SEMANTICS A.8).
     */
    public boolean setsReadOnly() {
        if (kind == Kind.VALUE && "transaction_read_only".equals(parameter)) {
            for (Value v : values) {
                if (v.numeric() ? v.integer() && !v.zero() : isOneOf(v.text(), "on", "t", "true")) {
                    return true;
                }
            }
            return false;
        }
        return transactionForm() && transactionMode != null && transactionMode.readOnly();
    }

    private static boolean isOneOf(String text, String... candidates) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            if (c.equals(lower)) {
                return true;
            }
        }
        return false;
    }
}
