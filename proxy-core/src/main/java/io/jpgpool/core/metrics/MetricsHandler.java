package io.jpgpool.core.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (and HEAD) on the metrics port: every meter in Prometheus' text format, or in OpenMetrics
 * when the scraper's Accept asks for {@code application/openmetrics-text}. The handler only moves bytes on the
 * event loop; the scrape itself runs on {@code scraper}, so sessions on the same loop do not wait for it. Any
 * other path is 404, any other method 405, a request that does not parse 400.
 */
public final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);
    public static final String PATH = "/metrics";
    /** A scrape request is a request line and a few headers. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final Metrics metrics;
    private final Executor scraper;

    public MetricsHandler(Metrics metrics, Executor scraper) {
        this.metrics = metrics;
        this.scraper = scraper;
    }

    /** The HTTP pipeline of one connection to the metrics port. */
    public static void addTo(ChannelPipeline pipeline, Metrics metrics, Executor scraper) {
        pipeline.addLast("http", new HttpServerCodec(4096, 8192, 8192))
                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("metrics", new MetricsHandler(metrics, scraper));
    }

    /** Whether an Accept header asks for OpenMetrics. */
    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.contains("application/openmetrics-text");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals(PATH)) {
            respond(ctx, text(HttpResponseStatus.NOT_FOUND, "not found: jpgpool serves " + PATH + "\n"), keepAlive);
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!head && !req.method().equals(HttpMethod.GET)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            respond(ctx, r, keepAlive);
            return;
        }
        boolean openMetrics = wantsOpenMetrics(req.headers().get(HttpHeaderNames.ACCEPT));
        try {
            scraper.execute(() -> scrape(ctx, openMetrics, head, keepAlive));
        } catch (RejectedExecutionException e) {
            respond(ctx, text(HttpResponseStatus.SERVICE_UNAVAILABLE, "jpgpool is stopping\n"), false);
        }
    }

    private void scrape(ChannelHandlerContext ctx, boolean openMetrics, boolean head, boolean keepAlive) {
        ByteBuf body = ctx.alloc().buffer(64 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.scrape(out, openMetrics);
        } catch (IOException | RuntimeException e) {
            body.release();
            LOG.warn("metrics scrape failed", e);
            respond(ctx, text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed\n"), false);
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, openMetrics ? Metrics.OPENMETRICS_FORMAT : Metrics.TEXT_FORMAT);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (head) {
            body.release();
        }
        respond(ctx, r, keepAlive);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }

    /** Writes the response (from any thread: Netty hands the write to the channel's loop). */
    private static void respond(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("metrics connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
