package io.jpgpool.core;

import io.jpgpool.config.BackendConfig;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.core.auth.HbaRules;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.core.admin.RuntimeAdmin;
import io.jpgpool.core.admin.ShowCommands;
import io.jpgpool.core.backend.BackendConnector;
import io.jpgpool.core.failover.FailoverCoordinator;
import io.jpgpool.core.failover.StatusFile;
import io.jpgpool.core.health.HealthChecker;
import io.jpgpool.core.backend.ConnectionPool;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.ClusterState;
import io.jpgpool.core.cluster.NodeStatus;
import io.jpgpool.core.health.ReplicationMonitor;
import io.jpgpool.core.metrics.MetricsHandler;
import io.jpgpool.core.net.Transport;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.session.ClientChannel;
import io.jpgpool.core.session.ClientSession;
import io.jpgpool.core.tls.BackendTls;
import io.jpgpool.core.tls.ServerTls;
import io.jpgpool.core.tls.SslNegotiator;
import io.jpgpool.core.tls.TlsConfigException;
import io.jpgpool.core.tls.TlsSettings;
import io.jpgpool.protocol.codec.FrontendDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running jpgpool: the client listeners, the event loops, the runtime every session shares and the
 * background checks. {@link #start} returns once it accepts clients; {@link #close} stops everything.
 */
public final class JpgpoolServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JpgpoolServer.class);

    private final ProxyRuntime runtime;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService background;
    private final List<Consumer<PgpoolConfig>> reloadListeners = new CopyOnWriteArrayList<>();
    private final ReplicationMonitor replication;
    private final FailoverCoordinator failover;
    private final HealthChecker health;
    private final RuntimeAdmin admin;
    private final ServerTls serverTls;
    private final java.util.concurrent.CompletableFuture<Void> stopped = new java.util.concurrent.CompletableFuture<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Channel> metricsListeners = new ArrayList<>();
    /** Where /metrics scrapes run, off the event loops (null while metrics_port is 0). */
    private ExecutorService scraper;
    private final List<Path> socketFiles = new ArrayList<>();
    private volatile boolean closed;

    private JpgpoolServer(ProxyRuntime runtime, Transport transport, EventLoopGroup boss, EventLoopGroup workers,
            ScheduledExecutorService background, ServerTls serverTls) {
        this.runtime = runtime;
        this.serverTls = serverTls;
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.background = background;
        this.replication = new ReplicationMonitor(runtime, background);
        this.failover = new FailoverCoordinator(runtime, replication, statusFile(runtime.config()));
        replication.coordinator(failover);
        this.health = new HealthChecker(runtime, failover);
        failover.probe(health::probe);
        runtime.failures(failover);
        this.admin = new RuntimeAdmin(runtime, failover, health, this::stop, this::reload);
        runtime.localCommands(new ShowCommands(runtime, admin));
    }

    /**
     * What the command line adds to pgpool.conf.
     *
     * @param discardStatus {@code -D}
     * @param hbaFile       {@code -a}; null: pool_hba.conf beside pgpool.conf
     */
    public record Options(boolean discardStatus, Path hbaFile) {
        public static final Options DEFAULT = new Options(false, null);

        public Options(boolean discardStatus) {
            this(discardStatus, null);
        }
    }

    static StatusFile statusFile(PgpoolConfig config) {
        return new StatusFile(Path.of(config.logdir()));
    }

    /** Starts a server for this configuration; fails with a clear message if it cannot listen. */
    public static JpgpoolServer start(PgpoolConfig config) throws IOException, InterruptedException {
        return start(config, Options.DEFAULT);
    }

    public static JpgpoolServer start(PgpoolConfig config, Options options) throws IOException, InterruptedException {
        if (config.backends().isEmpty()) {
            throw new IllegalArgumentException("no backend is configured (backend_hostname0, backend_port0, ...)");
        }
        if (config.backends().size() > NodeSet.MAX_NODES) {
            throw new IllegalArgumentException("jpgpool supports at most " + NodeSet.MAX_NODES + " backends");
        }
        var recoveryProblem = config.recoveryConfigProblem();
        if (recoveryProblem.isPresent()) {
            throw new IllegalArgumentException(recoveryProblem.get().getMessage(), recoveryProblem.get());
        }
        // TLS files are read before anything starts: a bad certificate stops the start (SEMANTICS E.6)
        TlsSettings tlsSettings = TlsSettings.of(config);
        ServerTls serverTls;
        BackendTls backendTls;
        HbaRules hba;
        try {
            serverTls = ServerTls.create(tlsSettings);
            backendTls = BackendTls.create(tlsSettings);
            hba = HbaRules.start(config, options.hbaFile()); // a bad pool_hba.conf stops the start too (E.3)
        } catch (TlsConfigException | io.jpgpool.config.ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        Transport transport = Transport.best();
        int threads = Integer.getInteger("jpgpool.threads",
                defaultEventLoops(Runtime.getRuntime().availableProcessors(), config.numInitChildren()));
        EventLoopGroup boss = transport.newGroup(1, "jpgpool-accept");
        EventLoopGroup workers = transport.newGroup(threads, "jpgpool-io");
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "jpgpool-background");
            t.setDaemon(true);
            return t;
        });
        StatusFile statusFile = statusFile(config);
        if (options.discardStatus()) {
            statusFile.delete();
        }
        ClusterState cluster = new ClusterState(initialSnapshot(config, statusFile.read().orElse(null)));
        ProxyRuntime runtime = new ProxyRuntime(config, loadPoolPasswd(config), cluster,
                new BackendConnector(transport, backendTls), threads);
        runtime.hba(hba);
        JpgpoolServer server = new JpgpoolServer(runtime, transport, boss, workers, background, serverTls);
        try {
            // as pgpool: the sockets first, then the search for the primary; a client that comes meanwhile waits for it
            runtime.gate().hold();
            try {
                server.listen();
                server.findPrimary();
            } finally {
                runtime.gate().release();
            }
            server.listenForMetrics();
            server.replication.start();
            server.health.start();
            server.failover.statusFile().write(cluster.snapshot());
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        LOG.info("jpgpool {} listening on {} ({} transport, {} event loops), {} backends, clustering mode {}",
                io.jpgpool.core.admin.AdminViews.version(), server.addresses(), transport, threads,
                config.backends().size(), config.backendClusteringMode().pgpoolName());
        return server;
    }

    /** Every configured node waiting, except those pgpool_status says were down (SEMANTICS C.1). */
    private static ClusterSnapshot initialSnapshot(PgpoolConfig config, List<NodeStatus> saved) {
        Instant now = Instant.now();
        List<BackendNode> nodes = new ArrayList<>();
        for (BackendConfig b : config.backends()) {
            NodeStatus status = saved != null && b.nodeId() < saved.size() && saved.get(b.nodeId()) == NodeStatus.DOWN
                    ? NodeStatus.DOWN : NodeStatus.CONNECT_WAIT;
            if (status == NodeStatus.DOWN) {
                LOG.warn("node {} stays down, as pgpool_status says (start with -D to discard it)", b.nodeId());
            }
            nodes.add(new BackendNode(b.nodeId(), b.hostname(), b.port(), b.weight(), b.dataDirectory(),
                    b.applicationName(), b.allowToFailover(), b.alwaysPrimary(), status, now, 0, null, null));
        }
        return new ClusterSnapshot(config.backendClusteringMode(), nodes, -1, 0);
    }

    private static PoolPasswd loadPoolPasswd(PgpoolConfig config) throws IOException {
        Path p = config.poolPasswdPath().orElse(null);
        if (p == null) {
            return null;
        }
        if (!Files.exists(p)) {
            LOG.warn("pool_passwd file \"{}\" does not exist; clients can only use trust or cleartext to backends", p);
            return null;
        }
        try {
            return PoolPasswd.load(p);
        } catch (io.jpgpool.config.ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void findPrimary() {
        if (!runtime.cluster().snapshot().isStreaming()) {
            return;
        }
        LOG.info("find_primary_node_repeatedly: waiting for finding a primary node");
        int primary = replication.findPrimary(); // which logs pgpool's "find_primary_node: primary node is N"
        if (primary < 0) {
            LOG.warn("no primary node found; writes go to the main node until one is found");
        }
        runtime.cluster().update(s -> s.withPrimary(primary));
        replication.check(); // delays, replication state and false primaries before the first client
    }

    private void listen() throws IOException, InterruptedException {
        PgpoolConfig cfg = runtime.config();
        ServerBootstrap tcp = bootstrap(transport.serverSocketChannel(), serverTls);
        tcp.childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.SO_KEEPALIVE, true);
        for (String host : listenHosts(cfg.listenAddresses())) {
            if (host.equals("*")) {
                listenOnAll(tcp, cfg.port(), listeners);
                continue;
            }
            InetSocketAddress addr = new InetSocketAddress(host, cfg.port());
            try {
                listeners.add(tcp.bind(addr).sync().channel());
            } catch (Exception e) {
                throw new IOException("could not listen on " + host + ":" + cfg.port() + ": " + e.getMessage(), e);
            }
        }
        if (transport.supportsUnixSockets()) {
            for (String dir : cfg.socketDir().split(",")) {
                dir = dir.trim();
                if (dir.isBlank()) {
                    continue;
                }
                Path file = Path.of(dir, ".s.PGSQL." + cfg.port());
                try {
                    Files.deleteIfExists(file); // a stale socket from a crashed run
                    // libpq never asks for TLS over a Unix socket; PostgreSQL answers N there
                    listeners.add(bootstrap(transport.serverDomainSocketChannel(), ServerTls.disabled())
                            .bind(new DomainSocketAddress(file.toString())).sync().channel());
                    file.toFile().setWritable(true, false);
                    file.toFile().setReadable(true, false);
                    socketFiles.add(file);
                } catch (Exception e) {
                    LOG.warn("could not create Unix socket {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /**
     * The Prometheus endpoint (metrics_listen_addresses, metrics_port): HTTP on the same event loops as the
     * clients, the scrapes on a thread of their own. Off while metrics_port is 0.
     */
    private void listenForMetrics() throws IOException, InterruptedException {
        PgpoolConfig cfg = runtime.config();
        if (cfg.metricsPort() <= 0) {
            return;
        }
        runtime.metrics().bindJvmAndNetty(java.util.Map.of("accept", boss, "io", workers));
        scraper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jpgpool-metrics");
            t.setDaemon(true);
            return t;
        });
        ExecutorService scrapes = scraper;
        ServerBootstrap http = new ServerBootstrap().group(boss, workers).channel(transport.serverSocketChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        MetricsHandler.addTo(ch.pipeline(), runtime.metrics(), scrapes);
                    }
                });
        for (String host : listenHosts(cfg.metricsListenAddresses())) {
            if (host.equals("*")) {
                listenOnAll(http, cfg.metricsPort(), metricsListeners);
                continue;
            }
            try {
                metricsListeners.add(http.bind(new InetSocketAddress(host, cfg.metricsPort())).sync().channel());
            } catch (Exception e) {
                throw new IOException("could not listen for metrics on " + host + ":" + cfg.metricsPort() + ": "
                        + e.getMessage(), e);
            }
        }
        List<String> where = new ArrayList<>();
        metricsListeners.forEach(c -> where.add(String.valueOf(c.localAddress())));
        LOG.info("metrics endpoint listening on {}, path {}", where, MetricsHandler.PATH);
    }

    /** The TCP port of the metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        for (Channel c : metricsListeners) {
            if (c.localAddress() instanceof InetSocketAddress i) {
                return i.getPort();
            }
        }
        return -1;
    }

    /**
     * {@code *}: every IPv6 and IPv4 address, as PostgreSQL. "::" is dual-stack on Linux unless bindv6only is
     * set; then, or without IPv6, "0.0.0.0" is bound as well. It failing after "::" worked means "::" has it.
     */
    private static void listenOnAll(ServerBootstrap tcp, int port, List<Channel> into)
            throws IOException, InterruptedException {
        boolean ipv6 = false;
        try {
            into.add(tcp.bind(new InetSocketAddress("::", port)).sync().channel());
            ipv6 = true;
        } catch (Exception e) {
            LOG.info("not listening on IPv6 (\"::\" port {}): {}", port, e.getMessage());
        }
        try {
            into.add(tcp.bind(new InetSocketAddress("0.0.0.0", port)).sync().channel());
        } catch (Exception e) {
            if (!ipv6) {
                throw new IOException("could not listen on *:" + port + ": " + e.getMessage(), e);
            }
            LOG.debug("\"::\" port {} takes IPv4 clients too (dual stack)", port);
        }
    }

    private ServerBootstrap bootstrap(Class<? extends io.netty.channel.ServerChannel> channel, ServerTls tls) {
        PgpoolConfig cfg = runtime.config();
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, Math.max(128, cfg.get(io.jpgpool.config.Params.LISTEN_BACKLOG_MULTIPLIER) * cfg.numInitChildren()))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(SslNegotiator.NAME, new SslNegotiator(tls))
                                .addLast("frames", new FrontendDecoder())
                                .addLast("session", new ClientChannel(new ClientSession(runtime)));
                    }
                });
    }

    /**
     * One event loop per two cores: every wake-up of a loop is a context switch, and a loop with more clients
     * finds more of them ready per wake-up (on 2 cores one loop spends a third less CPU per select than two).
     * Never more loops than clients: a pooled connection is reused by a client of its own loop, so with
     * num_init_children = 1 the next client always finds it, as in Pgpool-II.
     */
    static int defaultEventLoops(int cores, int numInitChildren) {
        return Math.max(1, Math.min(cores / 2, numInitChildren));
    }

    static List<String> listenHosts(String listenAddresses) {
        List<String> hosts = new ArrayList<>();
        for (String part : listenAddresses.split(",")) {
            String h = part.trim();
            if (h.isEmpty()) {
                continue;
            }
            hosts.add(h.equals("localhost") ? "127.0.0.1" : h);
        }
        return hosts;
    }

    public ProxyRuntime runtime() {
        return runtime;
    }

    public AdminApi admin() {
        return admin;
    }

    public FailoverCoordinator failover() {
        return failover;
    }

    public HealthChecker health() {
        return health;
    }

    /** Completes once the server has stopped (by {@link #close}, or a PCP/SIGTERM stop). */
    public java.util.concurrent.CompletableFuture<Void> stopped() {
        return stopped;
    }

    /**
     * Stops as pcp_stop_pgpool asks: {@code smart} waits for clients to leave (no new ones are accepted),
     * {@code fast} and {@code immediate} end every session now.
     */
    public void stop(AdminApi.ShutdownMode mode) {
        Thread t = new Thread(() -> {
            if (mode == AdminApi.ShutdownMode.SMART) {
                for (Channel c : listeners) {
                    c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
                while (runtime.sessions().connectedClients() > 0 && !closed) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            close();
        }, "jpgpool-stop");
        t.start();
    }

    /** Called with each configuration a reload applied (the launcher re-applies its logging parameters). */
    public void onReload(Consumer<PgpoolConfig> listener) {
        reloadListeners.add(listener);
    }

    /** Reads pgpool.conf again and applies what can change without a restart (pcp_reload_config, SIGHUP). */
    public PgpoolConfig reload() {
        PgpoolConfig current = runtime.config();
        java.util.Optional<Path> file = current.file();
        if (file.isEmpty()) {
            throw new IllegalStateException("the configuration was not read from a file");
        }
        try {
            PgpoolConfig newer = PgpoolConfig.load(file.get());
            runtime.hba().reload(newer);
            RuntimeAdmin.apply(runtime, newer);
            failover.statusFile().write(runtime.cluster().snapshot()); // as pgpool: a reload may add a node
            reloadCertificates();
            reloadListeners.forEach(l -> l.accept(newer));
            return newer;
        } catch (io.jpgpool.config.ConfigException e) {
            LOG.warn("reload failed: {}", e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** New TLS handshakes use the certificate files as they are now; connected clients keep theirs. */
    private void reloadCertificates() {
        try {
            serverTls.reload();
            runtime.connector().tls().reload();
        } catch (TlsConfigException e) {
            LOG.warn("TLS certificates not reloaded, the previous ones stay in use: {}", e.getMessage());
        }
    }

    public ReplicationMonitor replication() {
        return replication;
    }

    public ScheduledExecutorService background() {
        return background;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public List<String> addresses() {
        List<String> a = new ArrayList<>();
        for (Channel c : listeners) {
            a.add(String.valueOf(c.localAddress()));
        }
        return a;
    }

    /** The TCP port clients connect to. */
    public int port() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress i) {
                return i.getPort();
            }
        }
        return runtime.config().port();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel c : metricsListeners) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (scraper != null) {
            scraper.shutdownNow();
        }
        for (SessionHandle s : new ArrayList<>(runtime.sessions().all())) {
            s.shutdown();
        }
        for (io.netty.util.concurrent.EventExecutor e : workers) {
            ((EventLoop) e).execute(() -> {
                ConnectionPool p = runtime.pool((EventLoop) e);
                p.closeAll();
            });
        }
        health.close();
        runtime.hba().close();
        failover.close();
        replication.close();
        background.shutdownNow();
        runtime.metrics().close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Path f : socketFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort
            }
        }
        LOG.info("jpgpool stopped");
        stopped.complete(null);
    }
}
