/** {@code bin/jpcp}: the 13 pcp tools of Pgpool-II 4.3.5 in Java, same options, same output, same exit codes. */
package io.jpgpool.pcp.cli;
