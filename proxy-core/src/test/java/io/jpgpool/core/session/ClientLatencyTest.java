package io.jpgpool.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.core.metrics.Metrics;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Given a session's requests as they complete, the client-side latencies are... */
class ClientLatencyTest {
    private final Metrics metrics = new Metrics();
    private final ClientLatency latency = new ClientLatency(metrics, new SessionClock());

    @AfterEach
    void close() {
        metrics.close();
    }

    private static Request queued(byte kind, boolean hidden, long nanosAgo) {
        Request r = new Request(kind, NodeSet.of(0), 0, hidden, null, 1);
        r.queuedNanos = System.nanoTime() - nanosAgo;
        return r;
    }

    @Test
    void aStatementOutsideATransactionIsOneStatementAndOneTransaction() {
        latency.done(queued(FrontendTag.QUERY, false, TimeUnit.MILLISECONDS.toNanos(3)));
        latency.ready(ReadyForQuery.IDLE);
        assertThat(metrics.statements().count()).isEqualTo(1);
        assertThat(metrics.statements().totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(3);
        assertThat(metrics.transactions().count()).isEqualTo(1);
    }

    @Test
    void aTransactionRunsFromItsFirstRequestToTheIdleReadyForQuery() {
        latency.done(queued(FrontendTag.QUERY, false, TimeUnit.MILLISECONDS.toNanos(50))); // BEGIN
        latency.ready(ReadyForQuery.IN_TRANSACTION);
        latency.done(queued(FrontendTag.PARSE, false, TimeUnit.MILLISECONDS.toNanos(5)));
        latency.done(queued(FrontendTag.BIND, false, TimeUnit.MILLISECONDS.toNanos(5)));
        latency.done(queued(FrontendTag.EXECUTE, false, TimeUnit.MILLISECONDS.toNanos(5)));
        latency.done(queued(FrontendTag.QUERY, true, 0)); // jpgpool's own: not the client's
        latency.done(queued(FrontendTag.SYNC, false, TimeUnit.MILLISECONDS.toNanos(5)));
        latency.ready(ReadyForQuery.IN_TRANSACTION);
        assertThat(metrics.transactions().count()).isZero();
        latency.done(queued(FrontendTag.QUERY, false, TimeUnit.MILLISECONDS.toNanos(1))); // COMMIT
        latency.ready(ReadyForQuery.IDLE);
        assertThat(metrics.statements().count()).as("BEGIN, the Execute, COMMIT").isEqualTo(3);
        assertThat(metrics.transactions().count()).isEqualTo(1);
        assertThat(metrics.transactions().totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
    }
}
