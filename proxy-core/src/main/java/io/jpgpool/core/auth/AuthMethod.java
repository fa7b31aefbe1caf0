package io.jpgpool.core.auth;

/** The password methods jpgpool speaks, on either side. */
public enum AuthMethod {
    TRUST("trust"),
    CLEARTEXT("password"),
    MD5("md5"),
    SCRAM_SHA_256("scram-sha-256");

    private final String hbaName;

    AuthMethod(String hbaName) {
        this.hbaName = hbaName;
    }

    /** The name pg_hba.conf and pool_hba.conf use. */
    public String hbaName() {
        return hbaName;
    }
}
