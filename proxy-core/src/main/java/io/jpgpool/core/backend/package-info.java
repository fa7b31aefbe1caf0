/**
 * Connections from jpgpool to PostgreSQL nodes: opening and logging in ({@link
 * io.jpgpool.core.backend.BackendConnector}), the connection itself ({@link io.jpgpool.core.backend.BackendConnection})
 * and the per-event-loop pool that keeps them between clients ({@link io.jpgpool.core.backend.ConnectionPool}).
 */
package io.jpgpool.core.backend;
