package io.jpgpool.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one meter registry of a jpgpool: every number that SHOW pool_*, the PCP tools and the Prometheus endpoint
 * report is a meter here, or feeds one. Every meter's name starts with {@code jpgpool}, the JVM's and Netty's
 * included, so one prefix finds all of jpgpool's series.
 */
public final class Metrics implements AutoCloseable {
    /** The prefix of every meter name (Prometheus: {@code jpgpool_}). */
    public static final String PREFIX = "jpgpool.";
    /** Prometheus' text format 0.0.4. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** Bucket bounds of the client-side latencies: a pgbench select is ~0.1 ms, a slow report seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry;
    private final Timer statements;
    private final Timer transactions;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public Metrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        statements = latency("jpgpool.statement.duration")
                .description("Statements as the client sees them: from the Query or Execute to its answer")
                .register(registry);
        transactions = latency("jpgpool.transaction.duration")
                .description("Transactions as the client sees them: from the first statement to ReadyForQuery "
                        + "idle (a statement outside a transaction is one)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A timer published as a Prometheus histogram with latency buckets from 0.1 ms to 30 s. */
    public static Timer.Builder latency(String name) {
        return Timer.builder(name).serviceLevelObjectives(LATENCY_BUCKETS);
    }

    /** Client-side latency of a statement (simple Query, or an Execute). */
    public Timer statements() {
        return statements;
    }

    /** Client-side latency of a transaction. */
    public Timer transactions() {
        return transactions;
    }

    /**
     * The JVM (heap and other memory pools, direct buffers, GC, threads, classes, CPU, uptime, file descriptors)
     * and Netty (event loops with their pending tasks, labelled by group, the allocator, direct memory Netty
     * counts itself).
     */
    public void bindJvmAndNetty(Map<String, ? extends EventExecutorGroup> eventLoops) {
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        for (MeterBinder b : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
            b.bindTo(registry);
        }
        eventLoops.forEach((name, group) -> new NettyEventExecutorMetrics(group, Tags.of("group", name))
                .bindTo(registry));
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            new NettyAllocatorMetrics(p).bindTo(registry);
        }
        Gauge.builder("jpgpool.netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty has allocated (-1 when Netty does not count it)")
                .baseUnit("bytes").register(registry);
    }

    /** Writes every meter in Prometheus' text format, or OpenMetrics. */
    public void scrape(OutputStream out, boolean openMetrics) throws IOException {
        registry.scrape(out, openMetrics ? OPENMETRICS_FORMAT : TEXT_FORMAT);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the JVM's GC listener of a registry that is going away
            }
        }
        registry.close();
    }
}
