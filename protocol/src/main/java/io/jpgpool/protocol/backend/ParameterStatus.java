package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** A run-time parameter the client should know about (server_version, client_encoding, TimeZone...). */
public record ParameterStatus(String name, String value) {
    public static ParameterStatus decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String name = PgBuffers.readCString(b);
        return new ParameterStatus(name, PgBuffers.readCString(b));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, BackendTag.PARAMETER_STATUS);
        PgBuffers.writeCString(out, name);
        PgBuffers.writeCString(out, value);
        PgBuffers.endMessage(out, len);
    }
}
