package io.jpgpool.core.tls;

import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.Optional;

/**
 * The first handler of a client connection, in front of the protocol decoder: answers GSSENCRequest with
 * {@code N} and SSLRequest with {@code S} (then installs an {@link SslHandler} in its own place) or {@code N}, as
 * pgpool's pool_ssl_negotiate_serverclient, and hands everything else, from the first other packet on, to the
 * decoder untouched. Bytes that arrive together with an SSLRequest answered {@code S} were not encrypted and may
 * have been injected: FATAL 08P01, connection closed (CVE-2021-23214's check).
 */
public final class SslNegotiator extends ByteToMessageDecoder {
    public static final String NAME = "tls-negotiation";
    /** The name of the {@link SslHandler} it installs. */
    public static final String SSL_HANDLER_NAME = "tls";

    private final ServerTls tls;

    public SslNegotiator(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 8) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        int code = in.getInt(in.readerIndex() + 4);
        if (length == 8 && code == GSSENCRequest.CODE) {
            in.skipBytes(8);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'})); // pgpool: no GSSAPI encryption
            return;
        }
        if (length != 8 || code != SSLRequest.CODE) {
            ctx.pipeline().remove(this); // what is left goes to the decoder
            return;
        }
        in.skipBytes(8);
        Optional<SslHandler> handler = tls.newHandler(ctx.alloc());
        if (handler.isEmpty()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            ctx.pipeline().remove(this);
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
        if (in.isReadable()) {
            in.skipBytes(in.readableBytes());
            ByteBuf err = ctx.alloc().buffer();
            ErrorResponse.fatal(SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request",
                    "This could be either a client-software bug or evidence of an attempted man-in-the-middle "
                            + "attack.").encode(err);
            ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace(this, SSL_HANDLER_NAME, handler.get());
    }
}
