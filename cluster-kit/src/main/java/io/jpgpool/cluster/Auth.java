package io.jpgpool.cluster;

/** How TCP connections authenticate (pg_hba.conf method); the Unix socket is always {@code trust}. */
public enum Auth {
    TRUST("trust", "scram-sha-256"),
    /** Passwords are stored as MD5 too, otherwise PostgreSQL silently upgrades md5 to SCRAM. */
    MD5("md5", "md5"),
    SCRAM("scram-sha-256", "scram-sha-256"),
    /** Cleartext password. */
    PASSWORD("password", "scram-sha-256");

    private final String hbaMethod;
    private final String passwordEncryption;

    Auth(String hbaMethod, String passwordEncryption) {
        this.hbaMethod = hbaMethod;
        this.passwordEncryption = passwordEncryption;
    }

    /** The pg_hba.conf method name. */
    public String hbaMethod() {
        return hbaMethod;
    }

    /** The {@code password_encryption} setting that goes with this method. */
    public String passwordEncryption() {
        return passwordEncryption;
    }
}
