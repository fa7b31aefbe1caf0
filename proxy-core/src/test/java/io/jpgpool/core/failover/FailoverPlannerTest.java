package io.jpgpool.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failover decisions of SEMANTICS C.4 and C.6, without a node or a thread. */
class FailoverPlannerTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aStandbyGoingDownLeavesThePrimaryWhereItIs() {
        ClusterSnapshot c = streaming(0, NodeStatus.UP, NodeStatus.UP, NodeStatus.UP);
        FailoverPlanner.NodeDown plan = FailoverPlanner.nodeDown(c, 2, -1, NOW).orElseThrow();
        assertThat(plan.primaryFailed()).isFalse();
        assertThat(plan.primary()).isEqualTo(new FailoverPlanner.PrimaryChoice.Keep(0));
        assertThat(plan.newMain()).isZero();
        assertThat(plan.after().node(2).status()).isEqualTo(NodeStatus.DOWN);
        assertThat(FailoverPlanner.followPrimary(plan, 0, -1)).isFalse();
    }

    @Test
    void thePrimaryGoingDownSearchesANewOneAndTheOthersFollowIt() {
        ClusterSnapshot c = streaming(0, NodeStatus.UP, NodeStatus.UP, NodeStatus.UP);
        FailoverPlanner.NodeDown plan = FailoverPlanner.nodeDown(c, 0, -1, NOW).orElseThrow();
        assertThat(plan.primaryFailed()).isTrue();
        assertThat(plan.primary()).isEqualTo(new FailoverPlanner.PrimaryChoice.Search(-1));
        assertThat(plan.newMain()).as("%m: the lowest node left").isEqualTo(1);
        assertThat(plan.oldPrimary()).isZero();
        assertThat(FailoverPlanner.followPrimary(plan, 1, -1)).isTrue();
        assertThat(FailoverPlanner.followers(plan.after(), 1)).containsExactly(0, 2);
    }

    @Test
    void aSwitchoverNamesItsTargetAsTheNewMainAndFollowsItEvenWhenAStandbyIsDetached() {
        ClusterSnapshot c = streaming(1, NodeStatus.UP, NodeStatus.UP, NodeStatus.UP);
        FailoverPlanner.NodeDown plan = FailoverPlanner.nodeDown(c, 1, 2, NOW).orElseThrow();
        assertThat(plan.newMain()).isEqualTo(2);
        assertThat(plan.primary()).isEqualTo(new FailoverPlanner.PrimaryChoice.Search(2));
    }

    @Test
    void withNoKnownPrimaryAnyFailureIsAPrimaryFailure() {
        ClusterSnapshot c = streaming(-1, NodeStatus.UP, NodeStatus.UP);
        assertThat(FailoverPlanner.nodeDown(c, 1, -1, NOW).orElseThrow().primaryFailed()).isTrue();
    }

    @Test
    void aNodeAlreadyDownNeedsNothing() {
        ClusterSnapshot c = streaming(0, NodeStatus.UP, NodeStatus.DOWN);
        assertThat(FailoverPlanner.nodeDown(c, 1, -1, NOW)).isEmpty();
    }

    @Test
    void inNativeModeTheMainNodeGoingDownMakesTheNextUpNodeMainWithoutAnyPrimarySearch() {
        ClusterSnapshot c = native3(NodeStatus.UP, NodeStatus.UP, NodeStatus.UP);
        FailoverPlanner.NodeDown plan = FailoverPlanner.nodeDown(c, 0, -1, NOW).orElseThrow();
        assertThat(plan.primaryFailed()).as("the main node").isTrue();
        assertThat(plan.primary()).isInstanceOf(FailoverPlanner.PrimaryChoice.None.class);
        assertThat(plan.newMain()).isEqualTo(1);
        assertThat(plan.after().mainNodeId()).isEqualTo(1);

        FailoverPlanner.NodeDown replica = FailoverPlanner.nodeDown(c, 2, -1, NOW).orElseThrow();
        assertThat(replica.primaryFailed()).isFalse();
        assertThat(replica.newMain()).isZero();
    }

    @Test
    void thePrimarySearchWaitsForTheExpectedNodeUntilTheTimeoutThenTakesAnyPrimary() {
        assertThat(FailoverPlanner.primarySearch(1, -1, false)).isEqualTo(FailoverPlanner.SearchStep.FOUND);
        assertThat(FailoverPlanner.primarySearch(-1, -1, false)).isEqualTo(FailoverPlanner.SearchStep.RETRY);
        assertThat(FailoverPlanner.primarySearch(-1, -1, true)).isEqualTo(FailoverPlanner.SearchStep.GIVE_UP);
        assertThat(FailoverPlanner.primarySearch(1, 2, false)).isEqualTo(FailoverPlanner.SearchStep.RETRY);
        assertThat(FailoverPlanner.primarySearch(2, 2, false)).isEqualTo(FailoverPlanner.SearchStep.FOUND);
        assertThat(FailoverPlanner.primarySearch(1, 2, true)).isEqualTo(FailoverPlanner.SearchStep.FOUND);
    }

    @Test
    void aReturningNodeOutOfRecoveryWhileAnotherIsPrimaryIsAFalsePrimary() {
        ClusterSnapshot c = streaming(1, NodeStatus.DOWN, NodeStatus.UP, NodeStatus.UP);
        assertThat(FailoverPlanner.nodeUp(c, 0, false, false))
                .isEqualTo(FailoverPlanner.Failback.ATTACH_AS_FALSE_PRIMARY);
        assertThat(FailoverPlanner.nodeUp(c, 0, false, true)).isEqualTo(FailoverPlanner.Failback.REFUSE_FALSE_PRIMARY);
        assertThat(FailoverPlanner.nodeUp(c, 0, true, true)).isEqualTo(FailoverPlanner.Failback.ATTACH);
        assertThat(FailoverPlanner.nodeUp(c, 0, null, true)).as("it did not answer").isEqualTo(
                FailoverPlanner.Failback.ATTACH);
    }

    @Test
    void aReturningNodeWithNoPrimaryAliveIsAttachedAndThePrimarySearchedAgain() {
        ClusterSnapshot c = streaming(0, NodeStatus.DOWN, NodeStatus.DOWN);
        assertThat(FailoverPlanner.nodeUp(c, 1, false, true)).isEqualTo(FailoverPlanner.Failback.ATTACH);
        ClusterSnapshot after = c.withNode(c.node(1).withStatus(NodeStatus.CONNECT_WAIT, NOW));
        assertThat(FailoverPlanner.searchPrimaryAfterFailback(after)).isTrue();
        assertThat(FailoverPlanner.searchPrimaryAfterFailback(streaming(0, NodeStatus.UP, NodeStatus.UP)))
                .isFalse();
    }

    static ClusterSnapshot streaming(int primary, NodeStatus... statuses) {
        return new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION, nodes(statuses), primary, 0);
    }

    static ClusterSnapshot native3(NodeStatus... statuses) {
        return new ClusterSnapshot(ClusteringMode.NATIVE_REPLICATION, nodes(statuses), -1, 0);
    }

    private static List<BackendNode> nodes(NodeStatus... statuses) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            nodes.add(new BackendNode(i, "127.0.0.1", 5432 + i, 1, "/data" + i, "node" + i, true, false,
                    statuses[i], NOW, 0, null, null));
        }
        return nodes;
    }
}
