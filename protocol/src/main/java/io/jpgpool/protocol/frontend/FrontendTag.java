package io.jpgpool.protocol.frontend;

/** The type byte of every tagged frontend message of protocol 3.0. */
public final class FrontendTag {
    public static final byte BIND = 'B';
    public static final byte CLOSE = 'C';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_FAIL = 'f';
    public static final byte DESCRIBE = 'D';
    public static final byte EXECUTE = 'E';
    public static final byte FLUSH = 'H';
    public static final byte FUNCTION_CALL = 'F';
    public static final byte PARSE = 'P';
    /** PasswordMessage, SASLInitialResponse and SASLResponse share this tag. */
    public static final byte PASSWORD = 'p';
    public static final byte QUERY = 'Q';
    public static final byte SYNC = 'S';
    public static final byte TERMINATE = 'X';

    /** The largest body PostgreSQL accepts for messages that carry no user data (PQ_SMALL_MESSAGE_LIMIT). */
    public static final int SMALL_MESSAGE_LIMIT = 10_000;
    /** The largest body PostgreSQL accepts for any message (PQ_LARGE_MESSAGE_LIMIT, MaxAllocSize - 1). */
    public static final int LARGE_MESSAGE_LIMIT = 0x3fffffff - 1;

    private FrontendTag() {
    }

    /**
     * The largest length field a message of this type may carry, as PostgreSQL's postgres.c checks it,
     * or -1 when the type byte is not a frontend message at all.
     */
    public static int maxLength(byte tag) {
        return switch (tag) {
            case QUERY, PARSE, BIND, FUNCTION_CALL, COPY_DATA, PASSWORD -> LARGE_MESSAGE_LIMIT;
            case CLOSE, DESCRIBE, EXECUTE, FLUSH, SYNC, TERMINATE, COPY_DONE, COPY_FAIL -> SMALL_MESSAGE_LIMIT;
            default -> -1;
        };
    }
}
