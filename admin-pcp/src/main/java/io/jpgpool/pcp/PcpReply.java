package io.jpgpool.pcp;

import io.jpgpool.pcp.wire.PcpError;
import io.jpgpool.pcp.wire.PcpPacket;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * What the server does after one request: the packets to send (possibly none), whether to close the connection
 * afterwards, and an action to run once the packets are out (pcp_stop_pgpool answers before it stops).
 */
record PcpReply(List<PcpPacket> packets, boolean close, Runnable afterSend) {

    static PcpReply of(PcpPacket... packets) {
        return new PcpReply(List.of(packets), false, null);
    }

    static PcpReply of(List<PcpPacket> packets) {
        return new PcpReply(List.copyOf(packets), false, null);
    }

    /** No answer; the connection stays open. */
    static PcpReply none() {
        return new PcpReply(List.of(), false, null);
    }

    /** Close without an answer (the client's {@code X}). */
    static PcpReply closeQuietly() {
        return new PcpReply(List.of(), true, null);
    }

    /** An ERROR keeps the connection; a FATAL ends it (PCP_SPEC 4.2). */
    static PcpReply error(PcpError e) {
        return new PcpReply(List.of(e.toPacket()), e.isFatal(), null);
    }

    PcpReply then(Runnable action) {
        return new PcpReply(packets, close, action);
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PcpPacket p : packets) {
            byte[] b = p.toBytes();
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
