package io.jpgpool.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The client slots are the jpgpool_clients_* meters. */
class SessionRegistryTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionRegistry sessions = new SessionRegistry(registry);

    @Test
    void slotsTakenRefusedAndGivenBackAreCounted() {
        assertThat(sessions.tryAcquireSlot(2)).isTrue();
        assertThat(sessions.tryAcquireSlot(2)).isTrue();
        assertThat(sessions.tryAcquireSlot(2)).as("53300").isFalse();
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
}
