package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.JpgpoolFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** listen_addresses = '*' takes IPv6 and IPv4 clients, as PostgreSQL's does (issue 16). */
class ListenAddressesTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(0).build());
        jpgpool = JpgpoolFixture.start(cluster, "listen_addresses = '*'");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool first, then the cluster
        }
    }

    static void connectsFrom(String host) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + jpgpool.port()
                + "/postgres?user=postgres&password=postgres&preferQueryMode=simple");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            assertThat(r.next()).as("a query through jpgpool from %s", host).isTrue();
        }
    }

    @Test
    void ipv6AndIpv4LoopbackBothConnect() throws Exception {
        connectsFrom("[::1]");
        connectsFrom("127.0.0.1");
        assertThat(jpgpool.server().addresses()).anyMatch(a -> a.contains("0:0:0:0:0:0:0:0") || a.contains("::"));
    }
}
