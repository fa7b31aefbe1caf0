package io.jpgpool.config;

import java.util.Optional;

/**
 * What pool_hba.conf says about one client: the line that matched, or none. A {@code reject} line and no line
 * at all end the same way in pgpool (ClientAuthentication's uaReject/uaImplicitReject): FATAL
 * {@link #REJECT_MESSAGE} with {@link #rejectionDetail()} and {@link #REJECT_HINT}.
 *
 * @param request what was matched
 * @param line    the first line that fits; empty: no line does
 */
public record HbaMatch(HbaRequest request, Optional<HbaLine> line) {
    public static final String REJECT_MESSAGE = "client authentication failed";
    public static final String REJECT_HINT = "see pgpool log for details";

    /** The method to use; {@link HbaMethod#REJECT} when no line matched. */
    public HbaMethod method() {
        return line.map(HbaLine::method).orElse(HbaMethod.REJECT);
    }

    public boolean rejected() {
        return method() == HbaMethod.REJECT;
    }

    /**
     * pgpool's detail for a rejected client, e.g. {@code no pool_hba.conf entry for host "10.0.0.7", user "bob",
     * database "app", SSL off}.
     */
    public String rejectionDetail() {
        return "no pool_hba.conf entry for host \"" + request.hostText() + "\", user \"" + request.user()
                + "\", database \"" + request.database() + "\", " + (request.ssl() ? "SSL on" : "SSL off");
    }
}
