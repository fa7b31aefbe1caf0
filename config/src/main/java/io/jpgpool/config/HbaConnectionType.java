package io.jpgpool.config;

/** The first field of a pool_hba.conf line. {@code hostssl} and {@code hostnossl} test the client side only. */
public enum HbaConnectionType implements HbaKeyword {
    /** Unix-domain socket. */
    LOCAL,
    /** TCP, with or without TLS. */
    HOST,
    /** TCP with TLS. */
    HOSTSSL,
    /** TCP without TLS. */
    HOSTNOSSL;

    /** The name as written in pool_hba.conf. */
    @Override
    public String hbaName() {
        return HbaKeyword.super.hbaName();
    }

    /** Whether a line of this type can match a connection of this kind. */
    boolean admits(boolean local, boolean ssl) {
        return switch (this) {
            case LOCAL -> local;
            case HOST -> !local;
            case HOSTSSL -> !local && ssl;
            case HOSTNOSSL -> !local && !ssl;
        };
    }
}
