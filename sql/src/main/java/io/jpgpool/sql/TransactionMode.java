package io.jpgpool.sql;

/**
 * The transaction-mode list of {@code BEGIN}, {@code START TRANSACTION},
 * {@code SET TRANSACTION} and {@code SET SESSION CHARACTERISTICS AS TRANSACTION}.
 *
 * @param readOnly       {@code READ ONLY} was given
 * @param readWrite      {@code READ WRITE} was given
 * @param isolationLevel the {@code ISOLATION LEVEL}, or null when not given
 * @param deferrable     {@code DEFERRABLE} was given ({@code NOT DEFERRABLE} leaves it false)
 */
public record TransactionMode(boolean readOnly, boolean readWrite, IsolationLevel isolationLevel, boolean deferrable) {

    /** No option given, as in a plain {@code BEGIN}. */
    public static final TransactionMode NONE = new TransactionMode(false, false, null, false);

    public boolean serializable() {
        return isolationLevel == IsolationLevel.SERIALIZABLE;
    }
}
