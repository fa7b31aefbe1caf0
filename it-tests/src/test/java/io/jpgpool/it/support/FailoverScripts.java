package io.jpgpool.it.support;

import io.jpgpool.cluster.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample scripts of {@code conf/} wired into a fixture's pgpool.conf as an operator would:
 * {@code failover_command} promotes the new main node, {@code follow_primary_command} rebuilds the other
 * standbys and attaches them again with {@code pcp_attach_node}, logged in with the .pcppass of the
 * fixture's {@link PcpFixture}.
 */
public final class FailoverScripts {
    /** The settings every failover test shares: a health check every second that gives up at the first refusal. */
    private static final List<String> FAST_HEALTH_CHECK = List.of(
            "health_check_period = 1",
            "health_check_timeout = 5", // a stopped server refuses at once; a loaded host answers late
            "health_check_max_retries = 0",
            "connect_timeout = 1000",
            "sr_check_period = 1",
            "search_primary_node_timeout = 20");

    private FailoverScripts() {
    }

    /** Extra pgpool.conf lines for a failover test: the shared fast health check, then {@code settings}. */
    public static String[] withFastHealthCheck(String... settings) {
        List<String> lines = new ArrayList<>(FAST_HEALTH_CHECK);
        lines.addAll(List.of(settings));
        return lines.toArray(String[]::new);
    }

    /** {@code failover_command} running conf/failover.sh with every placeholder it reads. */
    public static String failoverCommand(PgCluster cluster) {
        return "failover_command = '" + env(cluster) + script("failover.sh") + " %d %h %p %D %m %H %M %P %r %R %N %S'";
    }

    /**
     * {@code follow_primary_command} running conf/follow_primary.sh against the fixture's PCP port, with the
     * .pcppass that {@link PcpFixture#start} writes.
     */
    public static String followPrimaryCommand(JpgpoolFixture jpgpool) {
        Path pcppass = jpgpool.dir().resolve("pcppass");
        return "follow_primary_command = '" + env(jpgpool.cluster()) + "PCP_HOST=127.0.0.1 PCP_PORT="
                + jpgpool.pcpPort() + " PCP_USER=" + PcpFixture.USER + " PCPPASSFILE=" + pcppass + " "
                + script("follow_primary.sh") + " %d %h %p %D %m %H %M %P %r %R'";
    }

    /**
     * What an operator runs once a node is rebuilt, as follow_primary.sh does: {@code pcp_attach_node -n <node>}
     * (Debian's, or bin/jpcp where pgpool2's tools are not installed); fails the test if it fails.
     */
    public static void attach(PcpFixture pcp, int node) {
        Commands.Result r = PcpFixture.realToolsInstalled() ? pcp.real("pcp_attach_node", "-n", String.valueOf(node))
                : pcp.jpcp("pcp_attach_node", "-n", String.valueOf(node));
        if (r.exitCode() != 0) {
            throw new AssertionError("pcp_attach_node -n " + node + " failed: " + r.all());
        }
    }

    /** PostgreSQL binaries and the replication password for the scripts (they run pg_ctl as postgres). */
    private static String env(PgCluster cluster) {
        return "PGBIN=" + cluster.options().binaries().tool("pg_ctl").getParent() + " REPL_PASSWORD="
                + cluster.options().superuserPassword() + " ";
    }

    /** The path of conf/{@code name}, found above the working directory. */
    public static String script(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("conf").resolve(name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("conf/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
