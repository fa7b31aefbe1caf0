package io.jpgpool.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on 127.0.0.1: bind port 0, read the port, close. Another process may take the port
 * before the server binds it, so callers retry a failed start on a fresh port.
 */
final class FreePorts {
    /** Ports already handed out in this JVM: two clusters built at once must not get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    static int next() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new ClusterException("could not find a free port on 127.0.0.1: " + e.getMessage(), e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new ClusterException("could not find a free port on 127.0.0.1 that this JVM has not used yet");
    }
}
