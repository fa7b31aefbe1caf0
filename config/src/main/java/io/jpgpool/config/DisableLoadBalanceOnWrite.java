package io.jpgpool.config;

/** {@code disable_load_balance_on_write} (SEMANTICS §A.8); numbers as pgpool's {@code DLBOW_OPTION}. */
public enum DisableLoadBalanceOnWrite implements PgpoolEnum {
    OFF,
    TRANSACTION,
    TRANS_TRANSACTION,
    ALWAYS,
    DML_ADAPTIVE
}
