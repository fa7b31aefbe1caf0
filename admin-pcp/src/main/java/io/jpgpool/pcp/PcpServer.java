package io.jpgpool.pcp;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.JpgpoolServer;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.core.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PCP server: what the pcp_* tools of Pgpool-II 4.3 and {@code bin/jpcp} talk to (PCP_SPEC). It listens on
 * TCP, IPv4 only as the clients resolve host names with {@code gethostbyname} ({@code pcp_listen_addresses},
 * {@code pcp_port}; empty addresses = no TCP), and on the Unix socket {@code <pcp_socket_dir>/.s.PGSQL.<port>}
 * (mode 0777, removed on close) where the tools look when {@code -h} is omitted or a directory.
 *
 * <p>Every request is answered from the {@link AdminApi}, the same one SHOW pool_* on the SQL port reads.
 * jpgpool has client sessions where pgpool has child processes: pcp_proc_count lists session ids and
 * pcp_proc_info reports {@code max_pool x nodes} slots per session, its live backend connections in pool_id 0
 * ({@link io.jpgpool.core.admin.ProcessSlots}).
 */
public final class PcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PcpServer.class);

    /**
     * Where to listen and whom to let in.
     *
     * @param listenAddresses pcp_listen_addresses: comma-separated host names or IPv4 addresses, {@code *} for
     *     all, {@code localhost} = 127.0.0.1; empty for no TCP listener
     * @param socketDir pcp_socket_dir; empty for no Unix socket
     * @param pcpConf pcp.conf, read at every login
     */
    public record Settings(String listenAddresses, int port, String socketDir, Path pcpConf) {
        public static Settings from(PgpoolConfig config, Path pcpConf) {
            return new Settings(config.pcpListenAddresses(), config.pcpPort(), config.pcpSocketDir(), pcpConf);
        }
    }

    private final AdminApi admin;
    private final Settings settings;
    /** An admin port, not a hot path: epoll, since its IPv4-only listener needs a family io_uring cannot ask for. */
    private final Transport transport = Transport.of(Transport.Kind.EPOLL);
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService commands;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private boolean closed;

    private PcpServer(AdminApi admin, Settings settings) {
        this.admin = admin;
        this.settings = settings;
        this.boss = transport.newGroup(1, "jpgpool-pcp-accept");
        this.workers = transport.newGroup(2, "jpgpool-pcp-io");
        this.commands = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jpgpool-pcp");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening; fails with a clear message if an address cannot be bound. */
    public static PcpServer start(AdminApi admin, Settings settings) throws IOException {
        PcpServer server = new PcpServer(admin, settings);
        try {
            server.listen();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("PCP server listening on {}", server.addresses());
        return server;
    }

    /** A PCP server for a running jpgpool, with its settings, stopped when the jpgpool stops. */
    public static PcpServer start(JpgpoolServer jpgpool, Path pcpConf) throws IOException {
        PcpServer server = start(jpgpool.admin(), Settings.from(jpgpool.runtime().config(), pcpConf));
        jpgpool.stopped().whenComplete((v, e) -> server.close());
        return server;
    }

    private void listen() throws IOException {
        int port = settings.port();
        for (InetAddress address : ipv4Addresses(settings.listenAddresses())) {
            try {
                Channel ch = bootstrap(this::ipv4ServerSocket)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.SO_KEEPALIVE, true)
                        .bind(new InetSocketAddress(address, port)).sync().channel();
                listeners.add(ch);
                if (port == 0) {
                    port = ((InetSocketAddress) ch.localAddress()).getPort();
                }
            } catch (Exception e) {
                throw new IOException("could not listen for PCP on " + address.getHostAddress() + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
        for (String dir : settings.socketDir().split(",")) {
            dir = dir.trim();
            if (dir.isEmpty()) {
                continue;
            }
            if (!transport.supportsUnixSockets()) {
                LOG.warn("no PCP Unix socket in {}: the {} transport has no Unix sockets", dir, transport);
                break;
            }
            listenUnix(Path.of(dir, ".s.PGSQL." + port));
        }
        if (listeners.isEmpty()) {
            throw new IOException("PCP has nowhere to listen: pcp_listen_addresses and pcp_socket_dir are empty");
        }
    }

    private void listenUnix(Path file) throws IOException {
        try {
            Files.deleteIfExists(file); // a stale socket from a crashed run
            listeners.add(bootstrap(new ReflectiveChannelFactory<>(transport.serverDomainSocketChannel()))
                    .bind(new DomainSocketAddress(file.toString())).sync().channel());
            socketFiles.add(file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (Exception e) {
            throw new IOException("could not create the PCP Unix socket " + file + ": " + e.getMessage(), e);
        }
    }

    /** An AF_INET socket: the clients only ever connect over IPv4 (PCP_SPEC 1). */
    private ServerChannel ipv4ServerSocket() {
        return transport.ipv4ServerSocket();
    }

    private ServerBootstrap bootstrap(ChannelFactory<? extends ServerChannel> channels) {
        return new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(channels)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PcpConnection c = new PcpConnection(admin, settings::pcpConf,
                                String.valueOf(ch.remoteAddress()));
                        ch.pipeline().addLast("frames", new PcpFrameDecoder())
                                .addLast("pcp", new PcpChannelHandler(c, commands));
                    }
                });
    }

    /** pcp_listen_addresses as IPv4 addresses: the clients only ever connect over IPv4. */
    static List<InetAddress> ipv4Addresses(String listenAddresses) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (String part : listenAddresses.split(",")) {
            String host = part.trim();
            if (host.isEmpty()) {
                continue;
            }
            if (host.equals("*")) {
                out.add(InetAddress.getByName("0.0.0.0"));
            } else if (host.equals("localhost")) {
                out.add(InetAddress.getByName("127.0.0.1"));
            } else {
                InetAddress v4 = null;
                try {
                    for (InetAddress a : InetAddress.getAllByName(host)) {
                        if (a instanceof Inet4Address) {
                            v4 = a;
                            break;
                        }
                    }
                } catch (UnknownHostException e) {
                    throw new IOException("could not resolve pcp_listen_addresses host \"" + host + "\"", e);
                }
                if (v4 == null) {
                    throw new IOException("pcp_listen_addresses host \"" + host
                            + "\" has no IPv4 address (the pcp tools connect over IPv4 only)");
                }
                if (!out.contains(v4)) {
                    out.add(v4);
                }
            }
        }
        return out;
    }

    /** The TCP port (the configured one, or the one chosen for port 0); -1 without a TCP listener. */
    public int port() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress i) {
                return i.getPort();
            }
        }
        return -1;
    }

    public List<String> addresses() {
        List<String> a = new ArrayList<>();
        for (Channel c : listeners) {
            a.add(String.valueOf(c.localAddress()));
        }
        return a;
    }

    public List<Path> socketFiles() {
        return List.copyOf(socketFiles);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        commands.shutdown();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        commands.shutdownNow();
        for (Path f : socketFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort, as pgpool's unlink at exit
            }
        }
        LOG.info("PCP server stopped");
    }
}
