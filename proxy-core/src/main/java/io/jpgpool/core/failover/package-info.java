/**
 * Failover: the {@link io.jpgpool.core.failover.FailoverCoordinator} is the one place where node status changes,
 * one event at a time (detach, attach, promote), running the operator's failover, follow-primary and failback
 * commands (SEMANTICS C.4, C.5) and keeping {@code pgpool_status} (C.1).
 */
package io.jpgpool.core.failover;
