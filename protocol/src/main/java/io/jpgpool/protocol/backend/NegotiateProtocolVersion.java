package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** Tells a client that asked for a newer minor version or for {@code _pq_.} options what we support. */
public record NegotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions) {
    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, BackendTag.NEGOTIATE_PROTOCOL_VERSION);
        out.writeInt(newestMinor);
        out.writeInt(unrecognizedOptions.size());
        unrecognizedOptions.forEach(o -> PgBuffers.writeCString(out, o));
        PgBuffers.endMessage(out, len);
    }
}
