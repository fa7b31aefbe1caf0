package io.jpgpool.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** health_check_max_retries: how many failures in a row make a node failed (SEMANTICS C.2). */
class HealthCheckRoundTest {
    @Test
    void withoutRetriesTheFirstFailureFails() {
        HealthCheckRound r = new HealthCheckRound(0);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.FAILED);
        assertThat(r.retries()).isZero();
    }

    @Test
    void eachRetryGetsItsChanceAndOneSuccessIsHealthy() {
        HealthCheckRound r = new HealthCheckRound(3);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.RETRY);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.RETRY);
        assertThat(r.onAttempt(true)).isEqualTo(HealthCheckRound.Next.HEALTHY);
        assertThat(r.retries()).isEqualTo(2);
    }

    @Test
    void theNodeFailsWhenTheLastRetryFails() {
        HealthCheckRound r = new HealthCheckRound(2);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.RETRY);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.RETRY);
        assertThat(r.onAttempt(false)).isEqualTo(HealthCheckRound.Next.FAILED);
        assertThat(r.retries()).isEqualTo(2);
    }

    @Test
    void aHealthyFirstAttemptNeedsNoRetry() {
        HealthCheckRound r = new HealthCheckRound(5);
        assertThat(r.onAttempt(true)).isEqualTo(HealthCheckRound.Next.HEALTHY);
        assertThat(r.retries()).isZero();
    }
}
