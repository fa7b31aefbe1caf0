package io.jpgpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Random inputs for the fuzz tests (bytes a peer might send, and small damage done to valid messages), and the
 * check the message decoders' fuzz tests share.
 */
public final class Fuzz {
    /** Lengths around the limits the decoders check, and the sign bit. */
    private static final int[] INTERESTING_LENGTHS = {
        0, 1, 3, 4, 5, 7, 8, 9, 12, 16, 9_999, 10_000, 10_001, 10_004, 10_005,
        0x3ffffffe, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xffffffff,
    };
    /** Bytes that steer message parsers: NUL ends strings, S/P are kinds, 0xff is -1 in lengths. */
    private static final byte[] INTERESTING_BYTES = {0, 0, 0, 1, 2, 'S', 'P', 'M', 'C', 'a', (byte) 0xff, (byte) 0x80};

    private Fuzz() {
    }

    public static int interestingLength(Random random) {
        return random.nextInt(4) == 0 ? random.nextInt() : INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
    }

    /** Up to {@code max} bytes, either uniformly random or drawn mostly from the bytes parsers care about. */
    public static byte[] randomBytes(Random random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        boolean uniform = random.nextBoolean();
        for (int i = 0; i < b.length; i++) {
            b[i] = uniform || random.nextInt(3) == 0 ? (byte) random.nextInt(256)
                    : INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        }
        return b;
    }

    /** Text without NUL (which a C string cannot hold), sometimes beyond ASCII. */
    public static String text(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            s.appendCodePoint(switch (random.nextInt(10)) {
                case 0 -> 0x80 + random.nextInt(0x700);
                case 1 -> 0x1F600 + random.nextInt(0x40);
                default -> 0x20 + random.nextInt(0x5f);
            });
        }
        return s.toString();
    }

    /**
     * Zero to three kinds of damage: a flipped bit, an inserted, deleted or overwritten byte, a length field set
     * to an interesting value, a cut, a repeated slice. {@code lengthFields} are offsets of the stream's length
     * words (may be empty).
     */
    public static byte[] mutate(Random random, byte[] input, List<Integer> lengthFields) {
        byte[] b = input.clone();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = splice(b, at, at, new byte[] {(byte) random.nextInt(256)});
                case 2 -> b = splice(b, at, Math.min(b.length, at + 1), new byte[0]);
                case 3 -> {
                    if (b.length > 0) {
                        b[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                    }
                }
                case 4 -> {
                    int field = lengthFields.isEmpty() ? at : lengthFields.get(random.nextInt(lengthFields.size()));
                    if (field + 4 <= b.length) {
                        int length = interestingLength(random);
                        b[field] = (byte) (length >>> 24);
                        b[field + 1] = (byte) (length >>> 16);
                        b[field + 2] = (byte) (length >>> 8);
                        b[field + 3] = (byte) length;
                    }
                }
                case 5 -> b = Arrays.copyOf(b, at);
                default -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(16));
                    b = splice(b, at, at, Arrays.copyOfRange(b, at, end));
                }
            }
        }
        return b;
    }

    /** The stream cut into reads of random sizes: byte by byte, small pieces, or large ones. */
    public static List<byte[]> chunks(Random random, byte[] stream) {
        int max = switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 7;
            case 2 -> 64;
            default -> Math.max(1, stream.length);
        };
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < stream.length; ) {
            int size = Math.min(stream.length - i, 1 + random.nextInt(max));
            chunks.add(Arrays.copyOfRange(stream, i, i + size));
            i += size;
        }
        return chunks;
    }

    /** Whether {@code needle} occurs as one run of bytes in {@code haystack}. */
    public static boolean containsRun(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Feeds {@code decode} {@code bodies} frames (random bytes, a random body behind {@code valid}'s tag, or a
     * damaged {@code valid}): each decodes or fails with a clear ProtocolException (an IndexOutOfBoundsException
     * for a body cut short is tolerated).
     */
    public static void assertEveryBodyDecodesOrFailsClearly(String message, Consumer<ByteBuf> decode, byte[] valid,
            int bodies) {
        Random random = new Random(message.hashCode());
        for (int i = 0; i < bodies; i++) {
            byte[] frame = switch (random.nextInt(3)) {
                case 0 -> randomBytes(random, 48);
                case 1 -> withRandomBody(random, valid[0]);
                default -> mutate(random, valid, List.of(1));
            };
            Throwable thrown = catchThrowable(() -> decode.accept(Unpooled.wrappedBuffer(frame)));

            if (thrown != null) {
                assertThat(thrown).as("%s of %s", message, ByteBufUtil.hexDump(frame))
                        .isInstanceOfAny(ProtocolException.class, IndexOutOfBoundsException.class);
            }
            if (thrown instanceof ProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
                assertThat(e.sqlState()).hasSize(5);
            }
        }
    }

    private static byte[] withRandomBody(Random random, byte tag) {
        byte[] body = randomBytes(random, 48);
        ByteBuf frame = Unpooled.buffer().writeByte(tag).writeInt(4 + body.length).writeBytes(body);
        return ByteBufUtil.getBytes(frame);
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, from);
        out.writeBytes(insert);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }
}
