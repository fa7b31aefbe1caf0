package io.jpgpool.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Client messages that follow each other in one read go to the server as one slice; others stay apart. */
class FramesTest {

    @Test
    void neighboursInOneBufferBecomeOneSlice() {
        // a buffer the leak detector samples (1 in 128 by default) is wrapped and is not joined: the messages are
        // then written one by one, which is right too; this test needs the plain buffers jpgpool runs with
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            joinsNeighbours();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void joinsNeighbours() {
        for (ByteBuf read : new ByteBuf[] {UnpooledByteBufAllocator.DEFAULT.directBuffer(64),
            PooledByteBufAllocator.DEFAULT.directBuffer(64)}) {
            read.writeCharSequence("PPPPBBBDDS", StandardCharsets.US_ASCII);
            ByteBuf parse = read.readRetainedSlice(4);
            ByteBuf bind = read.readRetainedSlice(3);
            ByteBuf sentElsewhere = read.readRetainedSlice(2);
            ByteBuf describe = sentElsewhere.retainedDuplicate(); // as sent to a second node
            ByteBuf sync = read.readRetainedSlice(1);
            ByteBuf joined = Frames.joined(Frames.joined(parse, bind), describe);
            assertThat(joined).isNotNull();
            joined = Frames.joined(joined, sync);
            assertThat(joined).isNotNull();
            assertThat(joined.toString(StandardCharsets.US_ASCII)).isEqualTo("PPPPBBBDDS");
            joined.release();
            sentElsewhere.release();
            assertThat(read.refCnt()).isEqualTo(1); // every slice let go of the read
            read.release();
        }
    }

    @Test
    void messagesApartOrInOtherBuffersAreNotJoined() {
        ByteBuf read = Unpooled.directBuffer(64).writeBytes(new byte[] {'P', 'B', 'E', 'S'});
        ByteBuf p = read.readRetainedSlice(1);
        read.skipBytes(1); // the Bind went to another node
        ByteBuf e = read.readRetainedSlice(1);
        assertThat(Frames.joined(p, e)).isNull();
        ByteBuf own = Unpooled.directBuffer(8).writeByte('Q');
        assertThat(Frames.joined(e, own)).isNull();
        ByteBuf heap = Unpooled.buffer(8).writeBytes(new byte[] {'a', 'b'});
        assertThat(Frames.joined(heap.readRetainedSlice(1), heap.readRetainedSlice(1))).isNull();
        assertThat(read.refCnt()).isEqualTo(3);
        p.release();
        e.release();
        read.release();
        own.release();
        heap.release(3);
        assertThat(read.refCnt()).isZero();
    }
}
