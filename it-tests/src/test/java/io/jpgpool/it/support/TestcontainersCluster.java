package io.jpgpool.it.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A primary ({@code node0}) and streaming standbys ({@code node1}...) in Docker containers, for machines
 * where a Docker engine is the easy way to get PostgreSQL. Where there is no engine, {@link #start}
 * aborts the calling test through a JUnit assumption, so it is reported as skipped, not failed.
 * The cluster-kit module ({@code io.jpgpool.cluster.PgCluster}) is the default; this is the alternative.
 */
public final class TestcontainersCluster implements AutoCloseable {
    public static final DockerImageName IMAGE = DockerImageName.parse("postgres:15-alpine");
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static final int PG_PORT = 5432;
    private static final Duration STARTUP = Duration.ofMinutes(2);
    /** Runs during the image's first start; the image only lets "all" databases in, not replication. */
    private static final String ALLOW_REPLICATION =
            "#!/bin/sh\necho 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"\n";

    private final Network network;
    private final PostgreSQLContainer<?> primary;
    private final List<GenericContainer<?>> standbys = new ArrayList<>();

    private TestcontainersCluster() {
        this.network = Network.newNetwork();
        this.primary = new PostgreSQLContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases("node0")
                .withUsername(USER)
                .withPassword(PASSWORD)
                .withCopyToContainer(Transferable.of(ALLOW_REPLICATION, 0755),
                        "/docker-entrypoint-initdb.d/10-allow-replication.sh")
                // the same speed settings as cluster-kit: throwaway data
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "wal_level=replica",
                        "-c", "max_wal_senders=10", "-c", "wal_keep_size=256MB", "-c", "hot_standby=on",
                        "-c", "hot_standby_feedback=on")
                .withStartupTimeout(STARTUP);
    }

    /** Skips the calling test unless a Docker engine answers. */
    public static void assumeDocker() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine: Testcontainers clusters are skipped");
    }

    /** Starts the primary and {@code standbys} standbys (pg_basebackup -R, application_name nodeN). */
    public static TestcontainersCluster start(int standbys) {
        assumeDocker();
        TestcontainersCluster c = new TestcontainersCluster();
        try {
            c.primary.start();
            for (int i = 1; i <= standbys; i++) {
                GenericContainer<?> standby = standby("node" + i, c.network);
                c.standbys.add(standby);
                standby.start();
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static GenericContainer<?> standby(String name, Network network) {
        String conninfo = "host=node0 port=" + PG_PORT + " user=" + USER + " application_name=" + name;
        // the primary may still be restarting after its init scripts: retry the backup until it answers
        String script = "until pg_basebackup -d '" + conninfo + "' -D /tmp/standby -R -X stream -c fast; do"
                + " rm -rf /tmp/standby; sleep 1; done"
                + " && chmod 700 /tmp/standby && exec postgres -D /tmp/standby -c hot_standby=on";
        return new GenericContainer<>(IMAGE)
                .withNetwork(network)
                .withNetworkAliases(name)
                .withEnv("PGPASSWORD", PASSWORD)
                .withExposedPorts(PG_PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres"))
                .withCommand("sh", "-c", script)
                .waitingFor(Wait.forLogMessage(".*ready to accept read-only connections.*\\n", 1))
                .withStartupTimeout(STARTUP);
    }

    public PostgreSQLContainer<?> primary() {
        return primary;
    }

    public List<GenericContainer<?>> standbys() {
        return List.copyOf(standbys);
    }

    /** 1 + the number of standbys; node 0 is the primary. */
    public int size() {
        return 1 + standbys.size();
    }

    public String host(int node) {
        return container(node).getHost();
    }

    public int port(int node) {
        return container(node).getMappedPort(PG_PORT);
    }

    public String jdbcUrl(int node, String database) {
        return "jdbc:postgresql://" + host(node) + ":" + port(node) + "/" + database;
    }

    public Connection connect(int node, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(node, database), USER, PASSWORD);
    }

    @Override
    public void close() {
        for (GenericContainer<?> s : standbys) {
            s.stop();
        }
        primary.stop();
        network.close();
    }

    private GenericContainer<?> container(int node) {
        if (node == 0) {
            return primary;
        }
        return standbys.get(node - 1);
    }
}
