package io.jpgpool.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * What pool_hba.conf is matched against, known once the StartupMessage has arrived.
 *
 * @param remoteAddress the client's address; null for a Unix-socket ({@code local}) connection
 * @param ssl           whether the client connection is TLS
 * @param database      the database of the startup packet (after defaulting to the user)
 * @param user          the user of the startup packet
 */
public record HbaRequest(InetAddress remoteAddress, boolean ssl, String database, String user) {

    public HbaRequest {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        remoteAddress = unmapped(remoteAddress);
    }

    /** A Unix-socket connection. */
    public static HbaRequest local(String database, String user) {
        return new HbaRequest(null, false, database, user);
    }

    /** A TCP connection. */
    public static HbaRequest tcp(InetAddress remote, boolean ssl, String database, String user) {
        return new HbaRequest(Objects.requireNonNull(remote, "remote"), ssl, database, user);
    }

    public boolean isLocal() {
        return remoteAddress == null;
    }

    /** The client's address as pgpool prints it in messages: numeric, "[local]" for a Unix socket. */
    public String hostText() {
        return remoteAddress == null ? "[local]" : remoteAddress.getHostAddress();
    }

    /**
     * An IPv4 client seen through a dual-stack IPv6 socket arrives as {@code ::ffff:a.b.c.d}; pgpool listens on
     * separate IPv4 and IPv6 sockets and sees it as IPv4, so lines like {@code 127.0.0.1/32} must match it.
     */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        return a;
    }
}
