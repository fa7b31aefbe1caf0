/**
 * The PCP server ({@link io.jpgpool.pcp.PcpServer}): Pgpool-II 4.3's admin protocol, so the real pcp_* tools
 * and {@code bin/jpcp} work against jpgpool. Framing ({@code PcpFrameDecoder}), one connection's login state
 * ({@code PcpConnection}) and the commands ({@code PcpCommands}) over proxy-core's admin API. The client side
 * is in {@code io.jpgpool.pcp.client}, the command line in {@code io.jpgpool.pcp.cli}.
 */
package io.jpgpool.pcp;
