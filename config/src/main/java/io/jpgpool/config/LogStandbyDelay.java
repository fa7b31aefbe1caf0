package io.jpgpool.config;

/** {@code log_standby_delay}; numbers per PCP_SPEC §8.3. */
public enum LogStandbyDelay implements PgpoolEnum {
    ALWAYS("always", 1),
    IF_OVER_THRESHOLD("if_over_threshold", 2),
    NONE("none", 3);

    private final String pgpoolName;
    private final int number;

    LogStandbyDelay(String pgpoolName, int number) {
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
