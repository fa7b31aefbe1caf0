package io.jpgpool.core.recovery;

/**
 * Online recovery failed or was refused, worded as pgpool words it (the PCP client prints {@code ERROR:  message}
 * and {@code DETAIL:  detail}). {@code fatal}: pgpool raises it as FATAL, which closes the PCP connection.
 */
public final class RecoveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;
    private final boolean fatal;

    public RecoveryException(String message, String detail) {
        this(message, detail, false);
    }

    public RecoveryException(String message, String detail, boolean fatal) {
        super(message, null, false, false);
        this.detail = detail;
        this.fatal = fatal;
    }

    /** May be null. */
    public String detail() {
        return detail;
    }

    public boolean fatal() {
        return fatal;
    }
}
