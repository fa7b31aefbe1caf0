/** {@code bin/jpcp}: the 13 pcp tools of Pgpool-II 4.3.5 (and 4.6's pcp_invalidate_query_cache) in Java, same options, same output, same exit codes. */
package io.jpgpool.pcp.cli;
