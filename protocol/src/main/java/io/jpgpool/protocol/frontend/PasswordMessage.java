package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** A cleartext or MD5 password in answer to AuthenticationCleartextPassword/MD5Password. */
public record PasswordMessage(String password) {
    public static PasswordMessage decode(ByteBuf frame) {
        return new PasswordMessage(PgBuffers.readCString(frame.duplicate().skipBytes(5)));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.PASSWORD);
        PgBuffers.writeCString(out, password);
        PgBuffers.endMessage(out, len);
    }
}
