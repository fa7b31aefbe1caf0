/**
 * A PCP client that behaves as Debian's libpcp 4.3.5 does, quirks included (PCP_SPEC 3.4, 4.3, 5, 9.2): how it
 * connects, logs in, reads each reply into result slots, truncates fields to its buffers and words its errors.
 * {@code bin/jpcp} prints from it exactly what the real tools print.
 */
package io.jpgpool.pcp.client;
