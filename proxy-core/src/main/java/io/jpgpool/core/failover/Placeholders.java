package io.jpgpool.core.failover;

import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;

/**
 * The {@code %} placeholders of failover_command, follow_primary_command and failback_command (SEMANTICS C.5).
 * Unknown {@code %x} sequences are dropped and a missing node gives empty strings, as in pgpool.
 *
 * @param node the node the command is about (%d %h %p %D)
 * @param newMain the new main node, or for follow_primary_command the new primary (%m %H %r %R)
 * @param oldMain the main node before the event (%M)
 * @param oldPrimary the primary before the event (%P %N %S)
 */
public record Placeholders(ClusterSnapshot cluster, int node, int newMain, int oldMain, int oldPrimary) {

    public String expand(String command) {
        StringBuilder out = new StringBuilder(command.length() + 64);
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c != '%' || i + 1 == command.length()) {
                out.append(c);
                continue;
            }
            char p = command.charAt(++i);
            switch (p) {
                case 'd' -> out.append(node);
                case 'h' -> out.append(host(node));
                case 'p' -> out.append(port(node));
                case 'D' -> out.append(dataDir(node));
                case 'm' -> out.append(newMain);
                case 'H' -> out.append(host(newMain));
                case 'r' -> out.append(port(newMain));
                case 'R' -> out.append(dataDir(newMain));
                case 'M' -> out.append(oldMain);
                case 'P' -> out.append(oldPrimary);
                case 'N' -> out.append(host(oldPrimary));
                case 'S' -> out.append(port(oldPrimary));
                case '%' -> out.append('%');
                default -> {
                    // unknown placeholders vanish (pgpool)
                }
            }
        }
        return out.toString();
    }

    private BackendNode at(int id) {
        return id >= 0 && id < cluster.size() ? cluster.node(id) : null;
    }

    private String host(int id) {
        BackendNode n = at(id);
        return n == null ? "" : n.host();
    }

    private String port(int id) {
        BackendNode n = at(id);
        return n == null ? "" : String.valueOf(n.port());
    }

    private String dataDir(int id) {
        BackendNode n = at(id);
        return n == null || n.dataDirectory() == null ? "" : n.dataDirectory();
    }
}
