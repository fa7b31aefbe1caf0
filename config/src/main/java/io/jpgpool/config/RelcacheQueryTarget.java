package io.jpgpool.config;

/** {@code relcache_query_target}: where pgpool sends its catalog look-ups. */
public enum RelcacheQueryTarget implements PgpoolEnum {
    PRIMARY("primary", 1),
    LOAD_BALANCE_NODE("load_balance_node", 2);

    private final String pgpoolName;
    private final int number;

    RelcacheQueryTarget(String pgpoolName, int number) {
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
