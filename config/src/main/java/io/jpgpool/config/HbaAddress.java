package io.jpgpool.config;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;

/** The address field of a {@code host*} line of pool_hba.conf (pgpool's ipCmpMask, ipCmpAll, samehost, samenet). */
public sealed interface HbaAddress {

    /** Whether the client at {@code remote} is covered; {@code lookup} does any DNS or interface look-up. */
    boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache);

    /** {@code all}: any address. */
    record All() implements HbaAddress {
        @Override
        public boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache) {
            return true;
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** {@code samehost}: any address of this machine. */
    record SameHost() implements HbaAddress {
        @Override
        public boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache) {
            return lookup.interfaces().stream().anyMatch(i -> i.address().equals(remote));
        }

        @Override
        public String toString() {
            return "samehost";
        }
    }

    /** {@code samenet}: any address in a subnet this machine is directly connected to. */
    record SameNet() implements HbaAddress {
        @Override
        public boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache) {
            return lookup.interfaces().stream().anyMatch(i ->
                    Network.of(i.address(), i.prefixLength()).matches(remote, lookup, cache));
        }

        @Override
        public String toString() {
            return "samenet";
        }
    }

    /** An IPv4 or IPv6 network: the client matches when its address and {@code network} agree on the mask bits. */
    record Network(byte[] network, byte[] mask) implements HbaAddress {
        public Network {
            if (network.length != mask.length) {
                throw new IllegalArgumentException("IP address and mask do not match");
            }
            network = network.clone();
            mask = mask.clone();
        }

        static Network of(InetAddress address, int prefixLength) {
            byte[] addr = address.getAddress();
            return new Network(addr, cidrMask(addr.length, prefixLength));
        }

        /** A mask of {@code bits} leading ones for an address of {@code bytes} bytes. */
        static byte[] cidrMask(int bytes, int bits) {
            byte[] m = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                int ones = Math.max(0, Math.min(8, bits - 8 * i));
                m[i] = (byte) (0xff00 >> ones);
            }
            return m;
        }

        @Override
        public boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache) {
            byte[] r = remote.getAddress();
            if (r.length != network.length) {
                return false; // pgpool: different address families never match
            }
            for (int i = 0; i < r.length; i++) {
                if (((r[i] ^ network[i]) & mask[i]) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Network n && Arrays.equals(network, n.network) && Arrays.equals(mask, n.mask);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(network) * 31 + Arrays.hashCode(mask);
        }

        @Override
        public String toString() {
            return HostLookup.numeric(network) + " mask " + HostLookup.numeric(mask);
        }
    }

    /**
     * A host name ({@code .example.com} matches every name ending so): the client's address must resolve back
     * to a matching name, and that name forward to the client's address again (pgpool's check_hostname).
     */
    record HostName(String pattern) implements HbaAddress {
        @Override
        public boolean matches(InetAddress remote, HostLookup lookup, HostLookup.Cache cache) {
            String name = cache.reverse(remote, lookup);
            if (name == null || !nameMatches(name)) {
                return false;
            }
            return cache.forwardConfirmed(remote, name, lookup);
        }

        boolean nameMatches(String actual) {
            String p = pattern.toLowerCase(Locale.ROOT);
            String a = actual.toLowerCase(Locale.ROOT);
            return p.startsWith(".") ? a.endsWith(p) : a.equals(p);
        }

        @Override
        public String toString() {
            return pattern;
        }
    }
}
