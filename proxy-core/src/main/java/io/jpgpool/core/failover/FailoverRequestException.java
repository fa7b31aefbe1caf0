package io.jpgpool.core.failover;

/**
 * A failover, failback or promote request was refused. Message and detail are worded as Pgpool-II words them
 * (the admin layer passes them on to PCP clients); {@code fatal}: pgpool closes the PCP connection afterwards.
 */
public final class FailoverRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;
    private final boolean fatal;

    public FailoverRequestException(String message, String detail) {
        this(message, detail, false);
    }

    public FailoverRequestException(String message, String detail, boolean fatal) {
        super(message, null, false, false);
        this.detail = detail;
        this.fatal = fatal;
    }

    public String detail() {
        return detail;
    }

    public boolean fatal() {
        return fatal;
    }
}
