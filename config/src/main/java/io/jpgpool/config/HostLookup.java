package io.jpgpool.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The look-ups pool_hba.conf matching may need: reverse and forward DNS for host-name lines, this machine's
 * interfaces for {@code samehost}/{@code samenet}. {@link #system()} asks the operating system (and may block
 * on DNS: match off the event loop, or only where the file has host names); tests pass their own.
 */
public interface HostLookup {

    /** One address of a local interface, with its network prefix length. */
    record Interface(InetAddress address, int prefixLength) {
    }

    /** The host name of {@code address} (like getnameinfo with NI_NAMEREQD), or null if it has none. */
    String reverse(InetAddress address);

    /** The addresses of {@code host} (like getaddrinfo); empty if it does not resolve. */
    List<InetAddress> forward(String host);

    /** Every address of every local interface. */
    List<Interface> interfaces();

    /** The operating system's resolver and interfaces. */
    static HostLookup system() {
        return Os.INSTANCE;
    }

    /** Numeric text of raw address bytes. */
    static String numeric(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }

    /** What one match has looked up already, as pgpool keeps remote_hostname per connection. */
    final class Cache {
        private boolean reversed;
        private String name;
        private final Map<String, Boolean> confirmed = new HashMap<>();

        String reverse(InetAddress remote, HostLookup lookup) {
            if (!reversed) {
                reversed = true;
                name = lookup.reverse(remote);
            }
            return name;
        }

        boolean forwardConfirmed(InetAddress remote, String host, HostLookup lookup) {
            return confirmed.computeIfAbsent(host, h -> lookup.forward(h).stream()
                    .anyMatch(a -> a.equals(remote)));
        }
    }

    /** The JDK's resolver. */
    final class Os implements HostLookup {
        static final Os INSTANCE = new Os();

        private Os() {
        }

        @Override
        public String reverse(InetAddress address) {
            try {
                String name = InetAddress.getByAddress(address.getAddress()).getCanonicalHostName();
                // the JDK answers the numeric form when there is no name; NI_NAMEREQD makes that a failure
                return name.equals(address.getHostAddress()) ? null : name;
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }

        @Override
        public List<InetAddress> forward(String host) {
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException | SecurityException e) {
                return List.of();
            }
        }

        @Override
        public List<Interface> interfaces() {
            List<Interface> all = new ArrayList<>();
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                        all.add(new Interface(ia.getAddress(), ia.getNetworkPrefixLength()));
                    }
                }
            } catch (IOException e) {
                return List.of(); // pgpool: "error enumerating network interfaces", no match
            }
            return all;
        }
    }
}
