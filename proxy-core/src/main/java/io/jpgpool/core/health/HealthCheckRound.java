package io.jpgpool.core.health;

/**
 * One health check of one node (SEMANTICS C.2): the first attempt, then up to {@code health_check_max_retries}
 * more after a failure; the node is healthy as soon as one attempt succeeds, failed when the last one fails.
 * Plain state: the checker makes the attempts and waits {@code health_check_retry_delay} between them.
 */
final class HealthCheckRound {
    enum Next { HEALTHY, RETRY, FAILED }

    private final int maxRetries;
    private int attempts;

    HealthCheckRound(int maxRetries) {
        this.maxRetries = Math.max(0, maxRetries);
    }

    /** The outcome of the next attempt: what to do now. */
    Next onAttempt(boolean ok) {
        attempts++;
        if (ok) {
            return Next.HEALTHY;
        }
        return attempts <= maxRetries ? Next.RETRY : Next.FAILED;
    }

    /** Retries made so far (attempts after the first). */
    int retries() {
        return Math.max(0, attempts - 1);
    }
}
