package io.jpgpool.protocol.auth;

import io.jpgpool.protocol.SqlState;
import java.util.Optional;

/**
 * A SCRAM exchange failed because of what the peer sent (malformed message, nonce or signature mismatch) or
 * because it asked for something we do not do (channel binding, authzid). The message and detail read like
 * PostgreSQL's ({@code malformed SCRAM message} / {@code Comma expected, but found character "x".}), so the
 * session can put them into an ErrorResponse as they are.
 */
public final class ScramException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;
    private final String detail;

    ScramException(String sqlState, String message, String detail) {
        // a peer's mistake, not ours: a stack trace would only be noise in the log
        super(message, null, false, false);
        this.sqlState = sqlState;
        this.detail = detail;
    }

    /** {@code malformed SCRAM message} with a detail saying what was wrong (08P01, as PostgreSQL). */
    static ScramException malformed(String detail) {
        return new ScramException(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message", detail);
    }

    static ScramException protocolViolation(String message, String detail) {
        return new ScramException(SqlState.PROTOCOL_VIOLATION, message, detail);
    }

    static ScramException notSupported(String message, String detail) {
        return new ScramException(SqlState.FEATURE_NOT_SUPPORTED, message, detail);
    }

    static ScramException authFailed(String message, String detail) {
        return new ScramException(SqlState.INVALID_PASSWORD, message, detail);
    }

    public String sqlState() {
        return sqlState;
    }

    /** The {@code DETAIL:} line, if any. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    @Override
    public String toString() {
        return detail == null ? sqlState + " " + getMessage() : sqlState + " " + getMessage() + " (" + detail + ")";
    }
}
