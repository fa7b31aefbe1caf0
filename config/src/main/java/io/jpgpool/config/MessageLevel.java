package io.jpgpool.config;

/**
 * Message levels of {@code client_min_messages} and {@code log_min_messages}. The numbers are
 * pgpool's elevels, in PostgreSQL's order (PCP_SPEC §8.3); {@code debug} is accepted as DEBUG2.
 */
public enum MessageLevel implements PgpoolEnum {
    DEBUG5("debug5", 10),
    DEBUG4("debug4", 11),
    DEBUG3("debug3", 12),
    DEBUG2("debug2", 13),
    DEBUG1("debug1", 14),
    LOG("log", 15),
    INFO("info", 17),
    NOTICE("notice", 18),
    WARNING("warning", 19),
    ERROR("error", 20),
    FATAL("fatal", 21),
    PANIC("panic", 22);

    private final String pgpoolName;
    private final int number;

    MessageLevel(String pgpoolName, int number) {
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

    /** True if a message of level {@code level} passes this threshold. */
    public boolean admits(MessageLevel level) {
        return level.number >= number;
    }
}
