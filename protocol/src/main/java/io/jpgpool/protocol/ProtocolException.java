package io.jpgpool.protocol;

/**
 * The peer broke the protocol (bad length, unknown message type, malformed field). Carries the SQLSTATE
 * PostgreSQL itself would report, {@code 08P01 protocol_violation} unless said otherwise.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    public ProtocolException(String message) {
        this(SqlState.PROTOCOL_VIOLATION, message);
    }

    public ProtocolException(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
