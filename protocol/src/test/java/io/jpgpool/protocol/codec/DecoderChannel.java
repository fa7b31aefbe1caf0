package io.jpgpool.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.WireBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One decoder on an {@link EmbeddedChannel}, fed byte arrays as separate reads. What it emits comes back with
 * frames copied into {@link Frame}s (the buffers are released at once, after checking that each frame's length
 * field matches its size); a {@link ProtocolException} comes back unwrapped. Anything else the decoder throws
 * fails the test. Every input buffer is kept so {@link #finish()} can check that all of them were freed.
 */
final class DecoderChannel {
    private final EmbeddedChannel channel;
    private final List<ByteBuf> inputs = new ArrayList<>();

    DecoderChannel(ChannelHandler decoder) {
        channel = new EmbeddedChannel(decoder);
        // unpooled: a retained slice then shares the reference count of the buffer it was cut from
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
    }

    /** What one read produced: messages in order, and the protocol violation it raised, if any. */
    record Read(List<Object> emitted, ProtocolException error) {
    }

    /** A frame the decoder emitted (tag, length, body), equal by content and printed as hex. */
    record Frame(byte[] bytes) {
        static Frame of(byte[] bytes) {
            return new Frame(bytes);
        }

        static Frame encodedBy(Consumer<ByteBuf> encoder) {
            return new Frame(WireBytes.encoded(encoder));
        }

        byte tag() {
            return bytes[0];
        }

        int lengthField() {
            return Unpooled.wrappedBuffer(bytes).getInt(1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && Arrays.equals(bytes, f.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Frame[" + ByteBufUtil.hexDump(bytes) + "]";
        }
    }

    Read write(byte[] chunk) {
        ByteBuf in = Unpooled.buffer(chunk.length).writeBytes(chunk);
        inputs.add(in);
        ProtocolException error = null;
        try {
            channel.writeInbound(in);
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof ProtocolException pe)) {
                throw e;
            }
            error = pe;
        }
        return new Read(drain(), error);
    }

    /** Writes each chunk as one read and returns everything emitted; a protocol violation fails the test. */
    List<Object> feed(byte[]... chunks) {
        List<Object> emitted = new ArrayList<>();
        for (byte[] chunk : chunks) {
            Read read = write(chunk);
            assertThat(read.error()).as("protocol violation").isNull();
            emitted.addAll(read.emitted());
        }
        return emitted;
    }

    List<Object> feedByteByByte(byte[] stream) {
        byte[][] chunks = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) {
            chunks[i] = new byte[] {stream[i]};
        }
        return feed(chunks);
    }

    /** Closes the channel and checks that every buffer we wrote has been freed. */
    void finish() {
        try {
            channel.finishAndReleaseAll();
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof ProtocolException)) {
                throw e;
            }
        }
        assertThat(inputs).as("reference counts of the reads").allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    private List<Object> drain() {
        List<Object> emitted = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            if (m instanceof ByteBuf frame) {
                try {
                    if (frame.readableBytes() < 5 || frame.getInt(frame.readerIndex() + 1) != frame.readableBytes() - 1) {
                        throw new AssertionError("malformed frame " + ByteBufUtil.hexDump(frame));
                    }
                    emitted.add(new Frame(ByteBufUtil.getBytes(frame)));
                } finally {
                    frame.release();
                }
            } else {
                emitted.add(m);
            }
        }
        return emitted;
    }

    /** The frames among {@code emitted}, joined back into bytes. */
    static byte[] joined(List<Object> emitted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        emitted.stream().filter(Frame.class::isInstance).map(Frame.class::cast).forEach(f -> out.writeBytes(f.bytes()));
        return out.toByteArray();
    }
}
