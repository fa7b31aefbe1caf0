/**
 * pgpool.conf in, typed immutable settings out.
 *
 * <ul>
 *   <li>{@link io.jpgpool.config.PgpoolConfig}: a checked pgpool.conf (GUC syntax, units, per-node
 *       parameters, deprecated names); errors read {@code file:line: parameter: reason}.</li>
 *   <li>{@link io.jpgpool.config.Params} / {@link io.jpgpool.config.Param}: every Pgpool-II 4.3
 *       parameter with type, default, range, unit, reload context and whether jpgpool supports it.</li>
 *   <li>{@link io.jpgpool.config.PoolStatusItems}: the rows of {@code pcp_pool_status} /
 *       {@code SHOW pool_status}.</li>
 *   <li>{@link io.jpgpool.config.PoolPasswd}, {@link io.jpgpool.config.PgpoolKey} and
 *       {@link io.jpgpool.config.PcpUsers}: the pool_passwd, pgpool key and pcp.conf files.</li>
 * </ul>
 *
 * <p>Behaviour follows reference/PGPOOL_PARAMS.md, PGPOOL_SEMANTICS.md (A.5, A.6, C.5, C.8, E.5)
 * and PCP_SPEC.md (§3.2, §8, §9.1, Appendix A). This package depends on nothing else of jpgpool.
 */
package io.jpgpool.config;
