package io.jpgpool.config;

/** {@code wd_lifecheck_method}; numbers as pgpool's {@code WdLifeCheckMethod} (heartbeat = 2 in pool_status). */
public enum WdLifecheckMethod implements PgpoolEnum {
    QUERY("query", 1),
    HEARTBEAT("heartbeat", 2),
    EXTERNAL("external", 3);

    private final String pgpoolName;
    private final int number;

    WdLifecheckMethod(String pgpoolName, int number) {
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
