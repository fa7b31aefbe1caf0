package io.jpgpool.core.session;

import io.jpgpool.protocol.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of a client connection: it only moves what arrives to the session and tells it when a read
 * is over, the socket's writability changed, or the connection failed or closed.
 */
public final class ClientChannel extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientChannel.class);
    private final ClientSession session;

    public ClientChannel(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.attached(new ClientOutput(ctx.channel()), ctx.channel().eventLoop());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.onClientMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.onClientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.onClientWritabilityChanged(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onClientGone();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof ProtocolException pe) {
            LOG.info("session {}: protocol violation from client {}: {}", session.id(), ctx.channel().remoteAddress(),
                    pe.getMessage());
            session.fatal(pe.sqlState(), pe.getMessage(), null);
        } else if (t instanceof SSLException || t instanceof NotSslRecordException) {
            // a failed or garbled TLS handshake: nothing can be said to the client in TLS or in clear
            LOG.info("session {}: could not accept SSL connection from {}: {}", session.id(),
                    ctx.channel().remoteAddress(), t.getMessage());
            ctx.close();
        } else if (t instanceof java.io.IOException) {
            LOG.debug("session {}: client connection error: {}", session.id(), t.toString());
            ctx.close();
        } else {
            LOG.warn("session {}: internal error", session.id(), t);
            session.fatal(io.jpgpool.protocol.SqlState.INTERNAL_ERROR, "internal error in jpgpool: " + t, null);
        }
    }
}
