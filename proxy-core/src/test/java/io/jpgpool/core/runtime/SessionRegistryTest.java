package io.jpgpool.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client slots are the jpgpool_clients_* meters. */
class SessionRegistryTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionRegistry sessions = new SessionRegistry(registry);

    @Test
    void slotsTakenRefusedAndGivenBackAreCounted() {
        assertThat(sessions.acquireSlot(2, 0, client(1)).join()).isTrue();
        assertThat(sessions.acquireSlot(2, 0, client(2)).join()).isTrue();
        assertThat(sessions.acquireSlot(2, 0, client(3)).join()).as("53300").isFalse();
        assertThat(registry.get("jpgpool.clients.connected").gauge().value()).isEqualTo(2);
        assertThat(registry.get("jpgpool.clients.refused").counter().count()).isEqualTo(1);
        assertThat(registry.get("jpgpool.client.sessions").counter().count()).isEqualTo(2);
        sessions.releaseSlot();
        sessions.waitStarted();
        sessions.authenticationFailed();
        assertThat(registry.get("jpgpool.clients.connected").gauge().value()).isEqualTo(1);
        assertThat(registry.get("jpgpool.clients.waiting").gauge().value()).isEqualTo(1);
        assertThat(registry.get("jpgpool.client.authentication.failures").counter().count()).isEqualTo(1);
        sessions.waitEnded();
        assertThat(registry.get("jpgpool.clients.waiting").gauge().value()).isZero();
    }

    @Test
    void clientsBeyondTheLimitWaitInTurnForAFreedSlotUpToTheQueueLength() {
        assertThat(sessions.acquireSlot(1, 2, client(1)).join()).isTrue();
        CompletableFuture<Boolean> second = sessions.acquireSlot(1, 2, client(2));
        CompletableFuture<Boolean> third = sessions.acquireSlot(1, 2, client(3));
        assertThat(sessions.acquireSlot(1, 2, client(4)).join()).as("the queue is full: 53300").isFalse();
        assertThat(sessions.queued()).extracting(SessionRegistry.QueuedClient::id).containsExactly(2, 3);
        assertThat(registry.get("jpgpool.clients.queued").gauge().value()).isEqualTo(2);
        assertThat(second).isNotDone();

        sessions.releaseSlot();
        assertThat(second).isCompletedWithValue(true);
        assertThat(third).isNotDone();
        assertThat(sessions.connectedClients()).as("the slot went over to the waiting client").isEqualTo(1);

        assertThat(sessions.leaveQueue(third)).as("it gave up while waiting").isTrue();
        assertThat(third).isCompletedWithValue(false);
        assertThat(sessions.leaveQueue(second)).as("already granted").isFalse();
        sessions.releaseSlot();
        assertThat(sessions.connectedClients()).isZero();
        assertThat(sessions.acquireSlot(1, 2, client(5)).join()).isTrue();
    }

    private static SessionRegistry.QueuedClient client(int id) {
        return new SessionRegistry.QueuedClient(id, "u", "db", Instant.now());
    }
}
