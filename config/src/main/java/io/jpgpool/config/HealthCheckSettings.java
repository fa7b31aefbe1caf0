package io.jpgpool.config;

/**
 * The health-check settings of one backend: each value is the per-node parameter
 * ({@code health_check_periodN}...) if given, otherwise the global one (SEMANTICS §C.2).
 *
 * @param periodSeconds        {@code health_check_period}; 0 = health check off
 * @param timeoutSeconds       {@code health_check_timeout}: bound for one whole attempt
 * @param user                 {@code health_check_user}
 * @param password             {@code health_check_password}; empty = look it up in pool_passwd
 * @param database             {@code health_check_database}; an empty value reads as {@code postgres}
 * @param maxRetries           {@code health_check_max_retries}
 * @param retryDelaySeconds    {@code health_check_retry_delay}
 * @param connectTimeoutMillis {@code connect_timeout}: bound for the TCP connect
 */
public record HealthCheckSettings(
        int periodSeconds,
        int timeoutSeconds,
        String user,
        String password,
        String database,
        int maxRetries,
        int retryDelaySeconds,
        int connectTimeoutMillis) {

    /** False when {@code periodSeconds <= 0}: pgpool then only sleeps and re-reads its config. */
    public boolean enabled() {
        return periodSeconds > 0;
    }

    @Override
    public String toString() {
        // never print the password
        return "HealthCheckSettings[periodSeconds=" + periodSeconds + ", timeoutSeconds=" + timeoutSeconds
                + ", user=" + user + ", database=" + database + ", maxRetries=" + maxRetries
                + ", retryDelaySeconds=" + retryDelaySeconds + ", connectTimeoutMillis=" + connectTimeoutMillis + "]";
    }
}
