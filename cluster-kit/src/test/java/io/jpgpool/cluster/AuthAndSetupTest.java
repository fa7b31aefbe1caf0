package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class AuthAndSetupTest {

    @Test
    void scramClusterAcceptsThePasswordOverTcpAndRejectsAWrongOne() throws SQLException {
        ClusterOptions options = ClusterOptions.builder().standbys(1).auth(Auth.SCRAM).superuserPassword("s3cret")
                .user("alice", "wonder'land").initDatabase("test").synchronousStandby(true).build();
        try (PgCluster cluster = PgCluster.streaming(options)) {
            PgNode primary = cluster.node(0);
            try (Connection c = primary.connect("test")) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThatThrownBy(() -> primary.connect("test", "postgres", "wrong").close())
                    .isInstanceOf(SQLException.class)
                    .hasFieldOrPropertyWithValue("SQLState", "28P01");
            assertThat(primary.query("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid"
                    + " WHERE rolname = 'postgres'")).containsExactly(List.of("t"));

            // the standby streams with the password too, and has the user made before it was copied
            try (Connection c = cluster.node(1).connect("test", "alice", "wonder'land")) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(primary.query("SELECT application_name, sync_state FROM pg_stat_replication"))
                    .containsExactly(List.of("node1", "sync"));
            primary.execute("CREATE TABLE committed_synchronously(x int)");
        }
    }

    @Test
    void md5ClusterStoresMd5Passwords() throws SQLException {
        ClusterOptions options = ClusterOptions.builder().servers(1).auth(Auth.MD5).user("bob", "builder").build();
        try (PgCluster cluster = PgCluster.independent(options)) {
            PgNode node = cluster.node(0);
            try (Connection c = node.connect("postgres", "bob", "builder")) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(node.query("SELECT rolname, rolpassword LIKE 'md5%' FROM pg_authid"
                    + " WHERE rolname IN ('postgres', 'bob') ORDER BY 1"))
                    .containsExactly(List.of("bob", "t"), List.of("postgres", "t"));
        }
    }
}
