/**
 * Pgpool-II's in-memory query cache (SEMANTICS F): which answers may be cached ({@link
 * io.jpgpool.core.cache.Cacheability}), what writes invalidate ({@link io.jpgpool.core.cache.Effects}), the shared
 * storage on Caffeine ({@link io.jpgpool.core.cache.QueryCache}) and the per-session state machine the session
 * feeds ({@link io.jpgpool.core.cache.QueryCacheSession}, whose javadoc is the integration guide). Nothing here
 * does I/O.
 */
package io.jpgpool.core.cache;
