package io.jpgpool.config;

/** {@code syslog_facility}: LOCAL0..LOCAL7; pool_status prints the name ({@code LOCAL<n>}), the number is n. */
public enum SyslogFacility implements PgpoolEnum {
    LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7;

    @Override
    public String pgpoolName() {
        return name();
    }

    @Override
    public int number() {
        return ordinal();
    }
}
