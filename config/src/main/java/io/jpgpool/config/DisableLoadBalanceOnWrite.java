package io.jpgpool.config;

/** {@code disable_load_balance_on_write} (SEMANTICS §A.8); numbers as pgpool's {@code DLBOW_OPTION}. */
public enum DisableLoadBalanceOnWrite implements PgpoolEnum {
    OFF("off", 1),
    TRANSACTION("transaction", 2),
    TRANS_TRANSACTION("trans_transaction", 3),
    ALWAYS("always", 4),
    DML_ADAPTIVE("dml_adaptive", 5);

    private final String pgpoolName;
    private final int number;

    DisableLoadBalanceOnWrite(String pgpoolName, int number) {
        this.pgpoolName = pgpoolName;
        this.number = number;
    }

    @Override
    public String pgpoolName() {
        return pgpoolName;
    }

    @Override
    public int number() {
        return number;
    }
}
