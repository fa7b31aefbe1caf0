package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Another process takes the port between our pick and the server's bind. */
@Timeout(120)
class PortConflictTest {

    @Test
    void aTakenPortFailsTheStartWithTheLogAndTheNextFreePortIsTried() throws Exception {
        try (PgCluster cluster = PgCluster.independent(ClusterOptions.builder().servers(1).build());
                ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PgNode node = cluster.node(0);
            node.stop(StopMode.FAST);
            int taken = squatter.getLocalPort();
            AtomicInteger offered = new AtomicInteger();

            node.startOnFreePort(() -> offered.getAndIncrement() == 0 ? taken : FreePorts.next());

            assertThat(offered.get()).isEqualTo(2);
            assertThat(node.port()).isNotEqualTo(taken);
            assertThat(node.isInRecovery()).isFalse();

            node.stop(StopMode.FAST);
            assertThatThrownBy(() -> node.startOnFreePort(() -> taken))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("pg_ctl start failed on port " + taken)
                    .hasMessageContaining("could not bind")
                    .hasMessageContaining(node.logFile().toString());
            assertThat(node.isRunning()).isFalse();
        }
    }
}
