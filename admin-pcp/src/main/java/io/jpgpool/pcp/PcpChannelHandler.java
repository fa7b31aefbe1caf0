package io.jpgpool.pcp;

import io.jpgpool.pcp.wire.PcpError;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PgpoolSource;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves PCP frames between the socket and a {@link PcpConnection}. Requests of one connection are handled one
 * after the other, in order, on the command executor (a command may block: pcp_detach_node -g waits for
 * sessions to end), never on the event loop; all of this handler's own state stays on the event loop.
 */
final class PcpChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PcpChannelHandler.class);
    /** Stop reading while this many requests wait, so a flooding client cannot grow the queue. */
    private static final int HIGH_WATER = 32;
    private static final int LOW_WATER = 4;

    private final PcpConnection connection;
    private final Executor commands;
    private final ArrayDeque<PcpFrame> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;

    PcpChannelHandler(PcpConnection connection, Executor commands) {
        this.connection = connection;
        this.commands = commands;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return; // the client's X after our FATAL, or anything else that follows it
        }
        pending.add((PcpFrame) msg);
        if (pending.size() >= HIGH_WATER) {
            ctx.channel().config().setAutoRead(false);
        }
        next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy || closing || pending.isEmpty()) {
            return;
        }
        if (pending.size() <= LOW_WATER && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        PcpFrame frame = pending.poll();
        busy = true;
        try {
            commands.execute(() -> {
                PcpReply reply;
                try {
                    reply = connection.handle(frame);
                } catch (RuntimeException | Error e) {
                    LOG.error("PCP request '{}' failed", frame.tagChar(), e);
                    reply = PcpReply.error(PcpError.error("PCP processing request failed",
                            String.valueOf(e.getMessage()), PgpoolSource.JPGPOOL));
                }
                PcpReply r = reply;
                ctx.executor().execute(() -> send(ctx, r));
            });
        } catch (RejectedExecutionException e) {
            closing = true; // the server is stopping
            ctx.close();
        }
    }

    private void send(ChannelHandlerContext ctx, PcpReply reply) {
        busy = false;
        if (reply.close()) {
            closing = true;
            pending.clear();
        }
        if (reply.packets().isEmpty()) {
            if (reply.close()) {
                ctx.close();
            }
        } else {
            var written = ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.bytes()));
            if (reply.afterSend() != null) {
                written.addListener(f -> commands.execute(reply.afterSend()));
            }
            if (reply.close()) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
        next(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a client that resets the connection after our FATAL is normal (PCP_SPEC 4.2)
        LOG.debug("PCP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        ctx.close();
    }
}
