package io.jpgpool.core.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/**
 * Which Netty transport jpgpool runs on. On Linux: io_uring where the kernel allows it (a loop iteration
 * submits every pending read and write with one system call, where epoll takes one per read and per write),
 * else native epoll; NIO elsewhere. {@code -Djpgpool.transport=io_uring|epoll|nio} picks one; a pick that
 * cannot load falls back down that list.
 */
public final class Transport {
    /** The transports, best first. */
    public enum Kind {
        IO_URING, EPOLL, NIO;

        boolean loads() {
            return switch (this) {
                case IO_URING -> IoUring.isAvailable();
                case EPOLL -> Epoll.isAvailable();
                case NIO -> true;
            };
        }

        /** {@code io_uring}, {@code epoll}, {@code nio}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind a {@code jpgpool.transport} value names; IllegalArgumentException for anything else. */
        public static Kind parse(String s) {
            String name = s.trim().toLowerCase(Locale.ROOT).replace("iouring", "io_uring");
            for (Kind k : values()) {
                if (k.label().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("jpgpool.transport: unknown transport \"" + s
                    + "\" (io_uring, epoll or nio)");
        }
    }

    private final Kind kind;

    private Transport(Kind kind) {
        this.kind = kind;
    }

    /**
     * The best transport that loads, starting from the one {@code -Djpgpool.transport} asks for (io_uring
     * when unset; {@code -Djpgpool.nio=true}, the older switch, still asks for NIO).
     */
    public static Transport best() {
        String asked = System.getProperty("jpgpool.transport");
        Kind start = Boolean.getBoolean("jpgpool.nio") ? Kind.NIO
                : asked == null || asked.isBlank() ? Kind.IO_URING : Kind.parse(asked);
        return new Transport(firstLoading(start));
    }

    /** A transport of this kind, or of the next one down that loads. */
    public static Transport of(Kind kind) {
        return new Transport(firstLoading(kind));
    }

    private static Kind firstLoading(Kind start) {
        Kind[] kinds = Kind.values();
        int i = start.ordinal();
        while (!kinds[i].loads()) {
            i++; // NIO, the last, always loads
        }
        return kinds[i];
    }

    public Kind kind() {
        return kind;
    }

    /** Unix domain sockets need a native transport. */
    public boolean supportsUnixSockets() {
        return kind != Kind.NIO;
    }

    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = switch (kind) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends Channel> socketChannel() {
        return switch (kind) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return switch (kind) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /**
     * A listening socket of the AF_INET family only (PCP's clients only ever connect over IPv4), on an epoll
     * or NIO transport: io_uring's server channel has no family to ask for.
     */
    public ServerChannel ipv4ServerSocket() {
        if (kind == Kind.IO_URING) {
            throw new IllegalStateException("an IPv4-only listener needs the epoll or NIO transport");
        }
        return kind == Kind.NIO ? new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET)
                : new EpollServerSocketChannel(SocketProtocolFamily.INET);
    }

    public Class<? extends Channel> domainSocketChannel() {
        return kind == Kind.IO_URING ? IoUringDomainSocketChannel.class : EpollDomainSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverDomainSocketChannel() {
        return kind == Kind.IO_URING ? IoUringServerDomainSocketChannel.class : EpollServerDomainSocketChannel.class;
    }

    @Override
    public String toString() {
        return kind.label();
    }
}
