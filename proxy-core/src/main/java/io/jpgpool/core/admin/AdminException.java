package io.jpgpool.core.admin;

/**
 * An admin request was refused. The message and detail are worded as Pgpool-II words them (PCP clients print
 * them as {@code ERROR:  message} / {@code DETAIL:  detail}); they start with a lower-case letter so the real
 * pcp tools do not garble them (PCP_SPEC 4.3). {@code fatal}: the PCP connection closes afterwards.
 */
public final class AdminException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;
    private final boolean fatal;

    public AdminException(String message, String detail) {
        this(message, detail, false);
    }

    public AdminException(String message, String detail, boolean fatal) {
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
