package io.jpgpool.bench;

import io.jpgpool.protocol.codec.BackendDecoder;
import io.jpgpool.protocol.codec.FrontendDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What framing costs per read: a client's Query, and a server's answer of {@code rows} rows (RowDescription,
 * DataRows, CommandComplete, ReadyForQuery) framed as one batch slice without touching the row bytes.
 */
public class FramingBench extends PerCallBench {

    @Param({"1", "100"})
    public int rows;

    private EmbeddedChannel client;
    private EmbeddedChannel server;
    private ByteBuf query;
    private ByteBuf answer;

    @Setup
    public void setUp() {
        client = new EmbeddedChannel(new FrontendDecoder(false));
        ByteBuf startup = Unpooled.buffer();
        startup.writeInt(0).writeInt(196608);
        cstring(startup, "user");
        cstring(startup, "postgres");
        cstring(startup, "database");
        cstring(startup, "postgres");
        startup.writeByte(0);
        startup.setInt(0, startup.readableBytes());
        client.writeInbound(startup);
        drain(client);

        query = Unpooled.directBuffer();
        message(query, 'Q', b -> cstring(b, "SELECT abalance FROM pgbench_accounts WHERE aid = 734231;"));

        server = new EmbeddedChannel(new BackendDecoder(true));
        answer = Unpooled.directBuffer();
        message(answer, 'T', b -> {
            b.writeShort(1);
            cstring(b, "abalance");
            b.writeInt(16397).writeShort(3).writeInt(23).writeShort(4).writeInt(-1).writeShort(0);
        });
        for (int i = 0; i < rows; i++) {
            message(answer, 'D', b -> b.writeShort(1).writeInt(5).writeBytes("-2184".getBytes(StandardCharsets.US_ASCII)));
        }
        message(answer, 'C', b -> cstring(b, "SELECT " + rows));
        message(answer, 'Z', b -> b.writeByte('I'));
    }

    @TearDown
    public void tearDown() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
        query.release();
        answer.release();
    }

    @Benchmark
    public int frameClientQuery() {
        client.writeInbound(query.retainedDuplicate());
        return drain(client);
    }

    @Benchmark
    public int frameServerAnswer() {
        server.writeInbound(answer.retainedDuplicate());
        return drain(server);
    }

    private static int drain(EmbeddedChannel channel) {
        int n = 0;
        for (Object m; (m = channel.readInbound()) != null; n++) {
            ReferenceCountUtil.release(m);
        }
        return n;
    }

    private static void message(ByteBuf out, char tag, java.util.function.Consumer<ByteBuf> body) {
        out.writeByte(tag);
        int at = out.writerIndex();
        out.writeInt(0);
        body.accept(out);
        out.setInt(at, out.writerIndex() - at);
    }

    private static void cstring(ByteBuf out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
