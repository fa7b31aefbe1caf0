package io.jpgpool.core.runtime;

import io.jpgpool.core.backend.ConnectionPool;
import io.jpgpool.core.cache.CacheStats;
import io.jpgpool.core.cache.QueryCache;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.NodeTags;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Meters over what the runtime holds, read when scraped: backend connections per node (open, opened so far, idle
 * in the pools), the client limit, and the query cache's numbers of SHOW pool_cache.
 */
final class RuntimeMeters {
    private RuntimeMeters() {
    }

    static void bind(ProxyRuntime rt) {
        MeterRegistry registry = rt.metrics().registry();
        for (BackendNode n : rt.cluster().snapshot().nodes()) {
            bindNode(rt, n);
        }
        Gauge.builder("jpgpool.clients.limit", rt, r -> r.config().numInitChildren()
                - Math.max(0, r.config().reservedConnections()))
                .description("Clients served at once before 53300 (num_init_children - reserved_connections)")
                .register(registry);
        QueryCache cache = rt.queryCache();
        queryCache(registry, cache, "hits", "SELECTs answered from the query cache", CacheStats::cacheHits, true);
        queryCache(registry, cache, "misses", "SELECTs a backend answered (SHOW pool_cache num_selects)",
                CacheStats::selects, true);
        queryCache(registry, cache, "entries", "Results in the query cache", CacheStats::entries, false);
        queryCache(registry, cache, "used.bytes", "Bytes the cached results and their keys take",
                CacheStats::usedBytes, false);
        queryCache(registry, cache, "free.bytes", "Bytes left before the least used results are evicted",
                CacheStats::freeBytes, false);
    }

    /** The connection meters of one node (at start, or added by a reload). */
    static void bindNode(ProxyRuntime rt, BackendNode n) {
        MeterRegistry registry = rt.metrics().registry();
        int id = n.id();
        Tags tags = NodeTags.of(n);
        Gauge.builder("jpgpool.backend.connections.open", rt, r -> r.connector().openConnections(id)).tags(tags)
                .description("Connections to the node open now: in sessions, idle in the pools, being reset")
                .register(registry);
        Gauge.builder("jpgpool.backend.connections.idle", rt, r -> idle(r, id)).tags(tags)
                .description("Connections to the node idle in the pools, kept for the next client")
                .register(registry);
        FunctionCounter.builder("jpgpool.backend.connections.opened", rt, r -> r.connector().openedConnections(id))
                .tags(tags).description("Connections to the node opened since the start").register(registry);
    }

    private static int idle(ProxyRuntime rt, int node) {
        int idle = 0;
        for (ConnectionPool p : rt.pools()) {
            idle += p.idleCount(node);
        }
        return idle;
    }

    private static void queryCache(MeterRegistry registry, QueryCache cache, String name, String description,
            ToDoubleFunction<CacheStats> value, boolean counter) {
        String full = "jpgpool.query.cache." + name;
        if (counter) {
            FunctionCounter.builder(full, cache, c -> value.applyAsDouble(c.stats())).description(description)
                    .register(registry);
        } else {
            Gauge.builder(full, cache, c -> value.applyAsDouble(c.stats())).description(description)
                    .register(registry);
        }
    }
}
