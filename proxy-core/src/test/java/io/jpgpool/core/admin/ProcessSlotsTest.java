package io.jpgpool.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session where pgpool has a child process: max_pool x nodes slots, its connections in pool_id 0. */
class ProcessSlotsTest {
    private static final Instant T = Instant.ofEpochSecond(1795311525L);

    private static SessionInfo session(List<SessionInfo.BackendInfo> backends) {
        return new SessionInfo(1001, T, "db", "alice", "app", T, 7, "Idle in transaction", 1, backends);
    }

    @Test
    void theLiveConnectionsAreInPoolZeroOneSlotPerNode() {
        SessionInfo s = session(List.of(new SessionInfo.BackendInfo(0, 4242, T, 0),
                new SessionInfo.BackendInfo(2, 4343, T, 5)));
        List<PoolSlot> slots = ProcessSlots.of(s, 2, 3, 0);
        assertThat(slots).hasSize(6);
        assertThat(slots).extracting(PoolSlot::poolId, PoolSlot::backendId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("0", "0"), org.assertj.core.groups.Tuple.tuple("0", "1"),
                org.assertj.core.groups.Tuple.tuple("0", "2"), org.assertj.core.groups.Tuple.tuple("1", "0"),
                org.assertj.core.groups.Tuple.tuple("1", "1"), org.assertj.core.groups.Tuple.tuple("1", "2"));
        assertThat(slots.get(0).values()).containsExactly("1001", AdminViews.time(T), "0", "0", "0", "db", "alice",
                AdminViews.time(T), AdminViews.time(T), "", "7", "3", "0", "1", "4242", "1", "Idle in transaction");
        assertThat(slots.get(2).poolCounter()).isEqualTo("6");
        assertThat(slots.get(1).values()).containsExactly("1001", AdminViews.time(T), "0", "0", "1", "", "", "", "",
                "", "7", "0", "0", "0", "0", "0", "Idle in transaction");
        assertThat(slots.get(3).clientIdleDuration()).isEqualTo("0");
    }

    @Test
    void withClientIdleLimitConnectedSlotsSayWhenTheClientWillBeDisconnected() {
        SessionInfo s = session(List.of(new SessionInfo.BackendInfo(0, 4242, T, 0)));
        List<PoolSlot> slots = ProcessSlots.of(s, 1, 2, 70);
        assertThat(slots.get(0).clientIdleDuration()).isEqualTo("7 (1:03 before client disconnected)");
        assertThat(slots.get(1).clientIdleDuration()).isEqualTo("7");
    }

    @Test
    void poolProcessesTakesTheFirstConnection() {
        SessionInfo s = session(List.of(new SessionInfo.BackendInfo(2, 4343, T.plusSeconds(60), 1),
                new SessionInfo.BackendInfo(1, 4242, T, 0)));
        assertThat(ProcessSlots.processRow(s)).containsExactly("1001", AdminViews.time(T), "0", "db", "alice",
                AdminViews.time(T), "1", "Idle in transaction");
        assertThat(ProcessSlots.processRow(session(List.of()))).containsExactly("1001", AdminViews.time(T), "0", "",
                "", "", "", "Idle in transaction");
    }
}
