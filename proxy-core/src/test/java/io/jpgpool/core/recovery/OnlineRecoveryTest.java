package io.jpgpool.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The order of pgpool 4.3's online recovery (SEMANTICS D.3), driven with fake stage runners, a fake client gate
 * and a virtual clock: what ran, in which order, on which node, and what the operator is told when it fails.
 */
class OnlineRecoveryTest {
    /** Everything the fakes saw, in order. */
    final List<String> events = new ArrayList<>();
    final FakeEdges edges = new FakeEdges();
    final FakeGate gate = new FakeGate();
    final VirtualTime time = new VirtualTime();
    ClusterSnapshot cluster = streaming(0, NodeStatus.UP, NodeStatus.UP, NodeStatus.DOWN);
    PgpoolConfig config = config("recovery_1st_stage_command", "recovery_1st_stage");
    final OnlineRecovery recovery = new OnlineRecovery(() -> cluster, () -> config, edges, time);

    // ------------------------------------------------------------------ streaming replication mode

    @Test
    void aStandbyIsRebuiltFromThePrimaryStartedAndAttachedWithNoCheckpointAndNoClientHeld() throws Exception {
        recovery.clientGate(gate);

        OnlineRecovery.Report r = recovery.recover(2);

        assertThat(events).containsExactly("open source 0 for target 2", "1st stage recovery_1st_stage",
                "remote start", "close", "probe 2", "attach 2");
        assertThat(r.steps().keySet()).containsExactly("1st stage", "remote start", "start of the postmaster",
                "attach");
        assertThat(recovery.inProgress()).isFalse();
    }

    @Test
    void theStageCallsAreThoseOfPgpool43() {
        RecoveryPlan plan = new RecoveryPlan(node(2, NodeStatus.DOWN, "/tmp"), node(1, NodeStatus.UP, "db1"), false,
                "recovery_1st_stage", "", "postgres", Duration.ofSeconds(90), 0);

        assertThat(plan.recoveryCall(RecoveryStage.FIRST)).isEqualTo("SELECT pgpool_recovery('recovery_1st_stage', "
                + "'localhost', '/data/node2', '5433', 2, '5434', 'db1')");
        assertThat(plan.remoteStartCall()).isEqualTo("SELECT pgpool_remote_start('localhost', '/data/node2')");
        assertThat(plan.stageArguments()).containsExactly("/data/node1", "localhost", "/data/node2", "5433", "2",
                "5434", "db1");
        assertThat(plan.remoteStartArguments()).containsExactly("localhost", "/data/node2");
    }

    @Test
    void aQuoteInAnArgumentCannotBreakTheStatement() {
        RecoveryPlan plan = new RecoveryPlan(node(2, NodeStatus.DOWN, "db'2"), node(0, NodeStatus.UP, "db0"), false,
                "x'; DROP TABLE t; --", "", "postgres", Duration.ofSeconds(90), 0);

        assertThat(plan.recoveryCall(RecoveryStage.FIRST))
                .startsWith("SELECT pgpool_recovery('x''; DROP TABLE t; --', 'db''2', ");
    }

    @Test
    void afterAFailoverTheOldPrimaryIsRecoveredFromTheNewOneWhateverItsNumber() throws Exception {
        cluster = streaming(1, NodeStatus.DOWN, NodeStatus.UP, NodeStatus.UP);

        recovery.recover(0);

        assertThat(events).startsWith("open source 1 for target 0");
        assertThat(edges.plans.get(0).recoveryCall(RecoveryStage.FIRST))
                .isEqualTo("SELECT pgpool_recovery('recovery_1st_stage', 'db0', '/data/node0', '5433', 0, '5432', "
                        + "'db1')");
    }

    @Test
    void thePrimaryIsRefusedBeforeAnythingRuns() {
        RecoveryException e = catchThrowableOfType(() -> recovery.recover(0), RecoveryException.class);

        assertThat(e.getMessage()).isEqualTo("process recovery request failed");
        assertThat(e.detail()).isEqualTo("primary server cannot be recovered by online recovery.");
        assertThat(e.fatal()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void aNodeIdOutOfRangeAnAliveNodeAndAModeWithoutRecoveryAreRefused() {
        assertThat(refusal(3)).isEqualTo("process recovery request failed / node id 3 is not valid");
        assertThat(refusal(-1)).isEqualTo("process recovery request failed / node id -1 is not valid");
        assertThat(refusal(1)).isEqualTo("node recovery failed, node id: 1 is alive / null");
        cluster = new ClusterSnapshot(ClusteringMode.RAW, cluster.nodes(), -1, 0);
        assertThat(refusal(2)).isEqualTo("process recovery request failed / recovery request is only allowed in "
                + "replication and streaming replication modes.");
        cluster = new ClusterSnapshot(ClusteringMode.LOGICAL_REPLICATION, cluster.nodes(), 0, 0);
        assertThat(refusal(2)).endsWith("recovery request is only allowed in replication and streaming replication "
                + "modes.");
        assertThat(events).isEmpty();
    }

    @Test
    void oneRecoveryAtATimeTheSecondIsAFatalError() throws Exception {
        AtomicReference<RecoveryException> second = new AtomicReference<>();
        edges.duringFirstStage = () -> second.set(catchThrowableOfType(() -> recovery.recover(2),
                RecoveryException.class));

        recovery.recover(2);

        assertThat(second.get().getMessage()).isEqualTo("process recovery request failed");
        assertThat(second.get().detail()).isEqualTo("pgpool-II is already processing another recovery request.");
        assertThat(second.get().fatal()).isTrue();
        assertThat(events).filteredOn(e -> e.startsWith("open source")).hasSize(1);
        assertThat(recovery.inProgress()).isFalse();
    }

    @Test
    void aFailingFirstStageNamesTheStageAndLeavesTheNodeDownAndUnattached() {
        edges.failing = RecoveryStage.FIRST;

        RecoveryException e = catchThrowableOfType(() -> recovery.recover(2), RecoveryException.class);

        assertThat(e.getMessage()).isEqualTo("executing recovery, execution of command failed at \"1st stage\"");
        assertThat(events).containsExactly("open source 0 for target 2", "1st stage recovery_1st_stage", "close");
        assertThat(recovery.inProgress()).as("the next recovery may run").isFalse();
    }

    @Test
    void withoutAFirstStageCommandTheNodeIsOnlyStartedAndAttached() throws Exception {
        config = PgpoolConfig.defaults();

        recovery.recover(2);

        assertThat(events).containsExactly("open source 0 for target 2", "remote start", "close", "probe 2",
                "attach 2");
    }

    @Test
    void theWaitForThePostmasterIsBoundedByRecoveryTimeout() {
        config = config("recovery_1st_stage_command", "recovery_1st_stage", "recovery_timeout", "5");
        edges.acceptsAfterProbes = Integer.MAX_VALUE;

        RecoveryException e = catchThrowableOfType(() -> recovery.recover(2), RecoveryException.class);

        assertThat(e.getMessage()).isEqualTo("recovery is checking if postmaster is started");
        assertThat(e.detail()).isEqualTo("postmaster on hostname:\"db2\" database:\"template1\" user:\"nobody\" "
                + "failed to start in 5 second");
        assertThat(time.elapsed()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(5).plus(OnlineRecovery.POLL));
        assertThat(events).doesNotContain("attach 2");
    }

    @Test
    void aNodeThatTakesAWhileToStartIsWaitedFor() throws Exception {
        edges.acceptsAfterProbes = 8;

        recovery.recover(2);

        assertThat(events.stream().filter("probe 2"::equals)).hasSize(8);
        assertThat(events).endsWith("attach 2");
    }

    // ------------------------------------------------------------------ native replication mode

    @Test
    void nativeModeCheckpointsRunsTheFirstStageWhileClientsWorkThenHoldsThemForTheSecond() throws Exception {
        useNativeMode();
        gate.activeAfterHold = new ArrayList<>(List.of(3, 1, 0));

        recovery.recover(1);

        assertThat(events).containsExactly("open source 0 for target 1", "CHECKPOINT",
                "1st stage recovery_1st_stage", "gate hold (limit 0)", "active 3", "active 1", "active 0",
                "CHECKPOINT", "2nd stage recovery_2nd_stage", "remote start", "close", "probe 1", "attach 1",
                "gate release");
    }

    @Test
    void nativeModeTakesTheLowestAliveNodeAsTheSource() throws Exception {
        useNativeMode();
        cluster = nativeMode(NodeStatus.DOWN, NodeStatus.DOWN, NodeStatus.UP);

        recovery.recover(0);

        assertThat(events).startsWith("open source 2 for target 0");
    }

    @Test
    void sessionsThatDoNotDrainWithinRecoveryTimeoutFailTheRecoveryAndTheClientsGoOn() {
        useNativeMode("recovery_timeout", "3");
        gate.activeAfterHold = null; // always one active session

        RecoveryException e = catchThrowableOfType(() -> recovery.recover(1), RecoveryException.class);

        assertThat(e.getMessage())
                .isEqualTo("node recovery failed, waiting connection closed in the other pgpools timeout");
        assertThat(time.elapsed()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(3).plus(OnlineRecovery.POLL));
        assertThat(events).doesNotContain("2nd stage recovery_2nd_stage", "attach 1").endsWith("close",
                "gate release");
    }

    @Test
    void withClientIdleLimitInRecoveryTheSessionsLeftAfterRecoveryTimeoutAreEndedAndRecoveryGoesOn()
            throws Exception {
        for (String limit : List.of("-1", "3")) {
            events.clear();
            useNativeMode("recovery_timeout", "3", "client_idle_limit_in_recovery", limit);
            gate.activeAfterHold = null;

            recovery.recover(1);

            assertThat(events).contains("gate hold (limit " + limit + ")", "end active sessions",
                    "2nd stage recovery_2nd_stage", "attach 1");
        }
    }

    @Test
    void aLimitLongerThanRecoveryTimeoutCannotHaveEmptiedTheSessions() {
        useNativeMode("recovery_timeout", "3", "client_idle_limit_in_recovery", "4");
        gate.activeAfterHold = null;

        assertThat(catchThrowableOfType(() -> recovery.recover(1), RecoveryException.class).getMessage())
                .startsWith("node recovery failed, waiting connection closed");
        assertThat(events).doesNotContain("end active sessions");
    }

    @Test
    void aFailingSecondStageReleasesTheClientsAndLeavesTheNodeDown() {
        useNativeMode();
        edges.failing = RecoveryStage.SECOND;

        RecoveryException e = catchThrowableOfType(() -> recovery.recover(1), RecoveryException.class);

        assertThat(e.getMessage()).isEqualTo("executing recovery, execution of command failed at \"2nd stage\"");
        assertThat(events).contains("gate release").doesNotContain("remote start", "attach 1");
    }

    @Test
    void nativeModeWithoutAClientGateIsRefusedBeforeAnythingRuns() {
        useNativeMode();
        recovery.clientGate(null);

        RecoveryException e = catchThrowableOfType(() -> recovery.recover(1), RecoveryException.class);

        assertThat(e.getMessage()).isEqualTo("node recovery failed, online recovery in native_replication mode is "
                + "not available yet");
        assertThat(events).isEmpty();
    }

    // ------------------------------------------------------------------ fixtures

    private String refusal(int node) {
        RecoveryException e = catchThrowableOfType(() -> recovery.recover(node), RecoveryException.class);
        return e.getMessage() + " / " + e.detail();
    }

    private void useNativeMode(String... settings) {
        cluster = nativeMode(NodeStatus.UP, NodeStatus.DOWN, NodeStatus.UP);
        List<String> all = new ArrayList<>(List.of("recovery_1st_stage_command", "recovery_1st_stage",
                "recovery_2nd_stage_command", "recovery_2nd_stage"));
        all.addAll(List.of(settings));
        config = config(all.toArray(String[]::new));
        recovery.clientGate(gate);
    }

    private static PgpoolConfig config(String... nameValues) {
        try {
            PgpoolConfig.Builder b = PgpoolConfig.builder();
            for (int i = 0; i < nameValues.length; i += 2) {
                b.set(nameValues[i], nameValues[i + 1]);
            }
            return b.build();
        } catch (io.jpgpool.config.ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ClusterSnapshot streaming(int primary, NodeStatus... statuses) {
        return new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION, nodes(statuses), primary, 0);
    }

    private static ClusterSnapshot nativeMode(NodeStatus... statuses) {
        return new ClusterSnapshot(ClusteringMode.NATIVE_REPLICATION, nodes(statuses), -1, 0);
    }

    private static List<BackendNode> nodes(NodeStatus... statuses) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            nodes.add(node(i, statuses[i], "db" + i));
        }
        return nodes;
    }

    private static BackendNode node(int id, NodeStatus status, String host) {
        return new BackendNode(id, host, 5432 + id, 1, "/data/node" + id, "node" + id, true, false, status,
                Instant.EPOCH, 0, null, null);
    }

    /** Records what recovery asks of the nodes. */
    final class FakeEdges implements RecoveryEdges {
        final List<RecoveryPlan> plans = new ArrayList<>();
        RecoveryStage failing;
        Runnable duringFirstStage = () -> { };
        int acceptsAfterProbes = 1;
        int probes;

        @Override
        public StageRunner openSource(RecoveryPlan plan) {
            plans.add(plan);
            events.add("open source " + plan.source().id() + " for target " + plan.target().id());
            return new StageRunner() {
                @Override
                public String describe() {
                    return "in a test";
                }

                @Override
                public void checkpoint() {
                    events.add("CHECKPOINT");
                }

                @Override
                public void runStage(RecoveryStage stage, RecoveryPlan p) throws RecoveryException {
                    events.add(stage.label() + " " + p.command(stage));
                    if (stage == RecoveryStage.FIRST) {
                        duringFirstStage.run();
                    }
                    if (stage == failing) {
                        throw new RecoveryException(stage.failedMessage(), "command:\"" + p.command(stage) + "\"");
                    }
                }

                @Override
                public void remoteStart(RecoveryPlan p) {
                    events.add("remote start");
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }

        @Override
        public boolean acceptsConnections(RecoveryPlan plan) {
            events.add("probe " + plan.target().id());
            return ++probes >= acceptsAfterProbes;
        }

        @Override
        public void attach(RecoveryPlan plan) {
            events.add("attach " + plan.target().id());
        }
    }

    /** Active sessions after hold(): the listed counts in turn, then 0; {@code null}: one for ever. */
    final class FakeGate implements ClientGate {
        List<Integer> activeAfterHold = new ArrayList<>();

        @Override
        public void hold(int clientIdleLimitInRecovery) {
            events.add("gate hold (limit " + clientIdleLimitInRecovery + ")");
        }

        @Override
        public int activeSessions() {
            if (activeAfterHold == null) {
                return 1;
            }
            int n = activeAfterHold.isEmpty() ? 0 : activeAfterHold.remove(0);
            events.add("active " + n);
            return n;
        }

        @Override
        public void endActiveSessions() {
            events.add("end active sessions");
            activeAfterHold = new ArrayList<>();
        }

        @Override
        public void release() {
            events.add("gate release");
        }
    }

    /** A clock that moves only when recovery sleeps. */
    static final class VirtualTime implements OnlineRecovery.Timing {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            now += d.toNanos();
        }

        Duration elapsed() {
            return Duration.ofNanos(now);
        }
    }
}
