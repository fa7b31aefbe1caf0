package io.jpgpool.config;

/**
 * Message levels of {@code client_min_messages} and {@code log_min_messages}. The numbers are
 * pgpool's elevels, in PostgreSQL's order (PCP_SPEC §8.3); {@code debug} is accepted as DEBUG2.
 */
public enum MessageLevel implements PgpoolEnum {
    DEBUG5(10),
    DEBUG4(11),
    DEBUG3(12),
    DEBUG2(13),
    DEBUG1(14),
    LOG(15),
    INFO(17),
    NOTICE(18),
    WARNING(19),
    ERROR(20),
    FATAL(21),
    PANIC(22);

    private final int number;

    MessageLevel(int number) {
        this.number = number;
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
