package io.jpgpool.config;

/**
 * How a pool_hba.conf line authenticates the client (SEMANTICS §E.3). pgpool's {@code pam} and {@code ldap}
 * are refused when the file is read: jpgpool has neither.
 */
public enum HbaMethod implements HbaKeyword {
    TRUST,
    REJECT,
    /** Clear-text password (AuthenticationCleartextPassword), checked against pool_passwd or the backends. */
    PASSWORD,
    MD5,
    SCRAM_SHA_256,
    /** A client certificate whose CN equals the user name, case-insensitively; only over TLS. */
    CERT;

    /** The name as written in pool_hba.conf ({@code scram-sha-256}). */
    @Override
    public String hbaName() {
        return HbaKeyword.super.hbaName();
    }
}
