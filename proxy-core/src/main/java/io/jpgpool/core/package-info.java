/**
 * The proxy: client sessions, routing, backend connections and pools, health and failover, and the admin API
 * that SHOW and PCP both read. {@link io.jpgpool.core.JpgpoolServer} wires it together.
 */
package io.jpgpool.core;
