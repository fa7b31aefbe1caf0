package io.jpgpool.core.health;

import java.time.Instant;

/** The health-check counters of one node (pcp_health_check_stats, SHOW pool_health_check_stats). */
public record HealthCheckStats(long totalCount, long successCount, long failCount, long skipCount, long retryCount,
        int maxRetryCount, long maxDurationMillis, long minDurationMillis, double averageDurationMillis,
        double averageRetryCount, Instant lastHealthCheck, Instant lastSuccessfulHealthCheck,
        Instant lastSkipHealthCheck, Instant lastFailedHealthCheck) {

    public static final HealthCheckStats NONE = new HealthCheckStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null,
            null, null);
}
