package io.jpgpool.bench;

import io.jpgpool.core.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

/**
 * The floor of a proxy hop, for bench/pgbench_matrix.sh: a bare TCP byte relay on jpgpool's transport and
 * event-loop settings (one loop by default), one server connection per client, with no framing, no routing
 * and no pooling. Whatever it costs, every proxy costs at least that on the same host. Not a product.
 *
 * <pre>java -cp benchmarks.jar:lib/* io.jpgpool.bench.ByteRelay LISTEN_PORT TARGET_HOST TARGET_PORT [LOOPS]</pre>
 */
public final class ByteRelay {
    private ByteRelay() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: ByteRelay LISTEN_PORT TARGET_HOST TARGET_PORT [LOOPS]");
            System.exit(2);
        }
        int listenPort = Integer.parseInt(args[0]);
        String targetHost = args[1];
        int targetPort = Integer.parseInt(args[2]);
        Transport transport = Transport.best();
        EventLoopGroup loops = transport.newGroup(args.length > 3 ? Integer.parseInt(args[3]) : 1, "relay");
        new ServerBootstrap().group(loops).channel(transport.serverSocketChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel client) {
                        client.pipeline().addLast(new ClientSide(transport, targetHost, targetPort));
                    }
                })
                .bind("127.0.0.1", listenPort).sync();
        System.out.println("relay on 127.0.0.1:" + listenPort + " -> " + targetHost + ":" + targetPort + " ("
                + transport + ")");
        Thread.currentThread().join();
    }

    /** Copies every read to the peer channel, flushed once per read, and closes the peer when its side closes. */
    private static class Pipe extends ChannelInboundHandlerAdapter {
        Channel peer;

        Pipe(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer != null) {
                peer.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client's end: opens the server connection when the client arrives, then reads the client. */
    private static final class ClientSide extends Pipe {
        private final Transport transport;
        private final String host;
        private final int port;

        ClientSide(Transport transport, String host, int port) {
            super(null);
            this.transport = transport;
            this.host = host;
            this.port = port;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap().group(client.eventLoop()).channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Pipe(client))
                    .connect(host, port).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            client.close();
                            return;
                        }
                        peer = f.channel();
                        client.config().setAutoRead(true);
                    });
        }
    }
}
