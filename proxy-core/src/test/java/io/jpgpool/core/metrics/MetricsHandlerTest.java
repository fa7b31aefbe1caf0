package io.jpgpool.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Given a registry with a counter, when a scraper asks the metrics port, then it gets... */
class MetricsHandlerTest {
    private final Metrics metrics = new Metrics();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpObjectAggregator(1024),
            new MetricsHandler(metrics, Runnable::run));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        metrics.close();
    }

    private FullHttpResponse ask(HttpMethod method, String uri, String accept) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (accept != null) {
            req.headers().set(HttpHeaderNames.ACCEPT, accept);
        }
        channel.writeInbound(req);
        return channel.readOutbound();
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void getMetricsAnswersPrometheusTextWithEveryMeterPrefixed() {
        Counter.builder("jpgpool.test.events").register(metrics.registry()).increment(3);
        Counter.builder("other.events").register(metrics.registry()).increment();
        FullHttpResponse r = ask(HttpMethod.GET, "/metrics", "text/plain");
        assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(r.content().readableBytes());
        String text = body(r);
        assertThat(text).contains("# TYPE jpgpool_test_events_total counter\n", "jpgpool_test_events_total 3.0\n",
                "jpgpool_other_events_total 1.0\n", "# TYPE jpgpool_statement_duration_seconds histogram\n",
                "jpgpool_statement_duration_seconds_bucket{le=\"1.0E-4\"} 0\n");
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).allMatch(l -> l.startsWith("jpgpool_"));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        FullHttpResponse r = ask(HttpMethod.GET, "/metrics?x=1",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/openmetrics-text");
        assertThat(body(r)).endsWith("# EOF\n");
    }

    @Test
    void headHasTheLengthButNoBody() {
        FullHttpResponse r = ask(HttpMethod.HEAD, "/metrics", null);
        assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
        assertThat(body(r)).isEmpty();
    }

    @Test
    void otherPathsAndMethodsAreRefusedAndTheConnectionStaysUsable() {
        FullHttpResponse notFound = ask(HttpMethod.GET, "/", null);
        assertThat(notFound.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(body(notFound)).contains("/metrics");
        FullHttpResponse post = ask(HttpMethod.POST, "/metrics", null);
        assertThat(post.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(post.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        post.release();
        assertThat(channel.isOpen()).isTrue();
        FullHttpResponse ok = ask(HttpMethod.GET, "/metrics", null);
        assertThat(ok.status()).isEqualTo(HttpResponseStatus.OK);
        ok.release();
    }

    @Test
    void garbageGetsBadRequestAndTheConnectionIsClosed() {
        EmbeddedChannel raw = new EmbeddedChannel();
        MetricsHandler.addTo(raw.pipeline(), metrics, Runnable::run);
        raw.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("\u0001\u0002 nonsense\r\n\r\n", StandardCharsets.ISO_8859_1));
        io.netty.buffer.ByteBuf out = raw.readOutbound();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 Bad Request");
        out.release();
        assertThat(raw.isOpen()).isFalse();
        raw.finishAndReleaseAll();
    }
}
