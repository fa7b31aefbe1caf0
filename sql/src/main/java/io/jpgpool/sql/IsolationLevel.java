package io.jpgpool.sql;

/** The {@code ISOLATION LEVEL} of a transaction-mode list. */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED,
    REPEATABLE_READ,
    SERIALIZABLE
}
