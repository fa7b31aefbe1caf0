package io.jpgpool.protocol.codec;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.encoded;
import static io.jpgpool.protocol.WireBytes.hex;
import static io.jpgpool.protocol.WireBytes.int32;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.codec.DecoderChannel.Frame;
import io.jpgpool.protocol.codec.DecoderChannel.Read;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.Describe;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.protocol.frontend.Sync;
import io.jpgpool.protocol.frontend.Terminate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client sends, as the proxy's first handler sees it: the untagged startup packets, then tagged frames,
 * however the bytes are split into reads; and a client that breaks the rules is cut off the way PostgreSQL cuts
 * it off.
 */
class FrontendDecoderTest {
    private static final StartupMessage STARTUP = StartupMessage.of("alice", "shop", Map.of("application_name", "psql"));
    private static final byte[] STARTUP_BYTES = encoded(STARTUP::encode);
    private static final byte[] QUERY = encoded(new Query("SELECT 1")::encode);

    /** An extended-protocol round trip after a simple query, as pgjdbc sends it. */
    private static final List<byte[]> SESSION = List.of(
            QUERY,
            encoded(new Parse("s1", "SELECT $1", new int[] {23})::encode),
            encoded(new Bind("", "s1")::encode),
            encoded(new Describe(Describe.PORTAL, "")::encode),
            encoded(new Execute("", 0)::encode),
            encoded(Sync.INSTANCE::encode),
            encoded(Terminate.INSTANCE::encode));

    private final FrontendDecoder decoder = new FrontendDecoder(false);
    private final DecoderChannel channel = new DecoderChannel(decoder);

    private static byte[] wholeSession() {
        return concat(STARTUP_BYTES, concat(SESSION.toArray(byte[][]::new)));
    }

    private static List<Object> expectedSession() {
        List<Object> expected = new ArrayList<>();
        expected.add(STARTUP);
        SESSION.forEach(m -> expected.add(Frame.of(m)));
        return expected;
    }

    @Test
    void startupThenMessagesInOneRead() {
        assertThat(decoder.inStartupPhase()).isTrue();

        assertThat(channel.feed(wholeSession())).containsExactlyElementsOf(expectedSession());
        assertThat(decoder.inStartupPhase()).isFalse();
        channel.finish();
    }

    @Test
    void beforeAuthenticationOnlyPasswordsAndTerminateAreAccepted() {
        DecoderChannel strict = new DecoderChannel(new FrontendDecoder());
        assertThat(strict.feed(STARTUP_BYTES)).containsExactly(STARTUP);

        assertThat(strict.write(QUERY).error()).hasMessage("expected password response, got message type 81");
    }

    @Test
    void beforeAuthenticationAPasswordMessageIsLimitedTo64kB() {
        DecoderChannel strict = new DecoderChannel(new FrontendDecoder());
        strict.feed(STARTUP_BYTES);
        byte[] huge = {'p', 0, 1, 0, 5};

        assertThat(strict.write(huge).error()).hasMessage("invalid message length");
    }

    @Test
    void startupThenMessagesByteByByte() {
        assertThat(channel.feedByteByByte(wholeSession())).containsExactlyElementsOf(expectedSession());
        channel.finish();
    }

    @Test
    void startupThenMessagesSplitAtEveryPoint() {
        byte[] session = wholeSession();
        for (int cut = 1; cut < session.length; cut++) {
            DecoderChannel split = new DecoderChannel(new FrontendDecoder(false));

            List<Object> emitted = split.feed(Arrays.copyOfRange(session, 0, cut),
                    Arrays.copyOfRange(session, cut, session.length));

            assertThat(emitted).as("split at %d", cut).containsExactlyElementsOf(expectedSession());
            split.finish();
        }
    }

    @Test
    void messagesArriveTwoAndAHalfPerRead() {
        byte[] messages = concat(SESSION.toArray(byte[][]::new));
        int piece = (QUERY.length * 5) / 2;
        List<byte[]> reads = new ArrayList<>();
        reads.add(STARTUP_BYTES);
        for (int i = 0; i < messages.length; i += piece) {
            reads.add(Arrays.copyOfRange(messages, i, Math.min(messages.length, i + piece)));
        }

        assertThat(channel.feed(reads.toArray(byte[][]::new))).containsExactlyElementsOf(expectedSession());
        channel.finish();
    }

    @Test
    void framesAreSlicesOfTheReadThatLiveUntilTheLastIsReleased() {
        EmbeddedChannel raw = new EmbeddedChannel(new FrontendDecoder(false));
        raw.writeInbound(Unpooled.wrappedBuffer(STARTUP_BYTES));
        assertThat((Object) raw.readInbound()).isEqualTo(STARTUP);
        ByteBuf read = Unpooled.wrappedBuffer(concat(QUERY, SESSION.get(5)));

        raw.writeInbound(read);
        ByteBuf query = raw.readInbound();
        ByteBuf sync = raw.readInbound();

        // no copy: each frame holds a reference to the very buffer that was read
        assertThat(read.refCnt()).isEqualTo(2);
        query.release();
        assertThat(read.refCnt()).isEqualTo(1);
        sync.release();
        assertThat(read.refCnt()).isZero();
        assertThat(raw.finish()).isFalse();
    }

    @Test
    void sslRequestThenStartup() {
        assertThat(channel.feed(encoded(SSLRequest.INSTANCE::encode))).containsExactly(SSLRequest.INSTANCE);
        assertThat(decoder.inStartupPhase()).isTrue();

        assertThat(channel.feed(STARTUP_BYTES, QUERY)).containsExactly(STARTUP, Frame.of(QUERY));
        assertThat(decoder.inStartupPhase()).isFalse();
        channel.finish();
    }

    @Test
    void sslRequestAndStartupByteByByte() {
        assertThat(channel.feedByteByByte(concat(encoded(SSLRequest.INSTANCE::encode), STARTUP_BYTES)))
                .containsExactly(SSLRequest.INSTANCE, STARTUP);
        channel.finish();
    }

    @Test
    void gssEncryptionRequestThenSslRequestThenStartup() {
        assertThat(channel.feed(encoded(GSSENCRequest.INSTANCE::encode))).containsExactly(GSSENCRequest.INSTANCE);
        assertThat(decoder.inStartupPhase()).isTrue();

        assertThat(channel.feed(encoded(SSLRequest.INSTANCE::encode), STARTUP_BYTES))
                .containsExactly(SSLRequest.INSTANCE, STARTUP);
        channel.finish();
    }

    @Test
    void cancelRequestEndsWhatTheConnectionCarries() {
        byte[] cancel = encoded(new CancelRequest(4242, 99)::encode);

        assertThat(channel.feed(concat(cancel, STARTUP_BYTES))).containsExactly(new CancelRequest(4242, 99));
        assertThat(channel.feed(STARTUP_BYTES, QUERY)).isEmpty();
        channel.finish();
    }

    @Test
    void startupOfExactly10004BytesIsTheLargestAccepted() {
        // PostgreSQL limits the packet to MAX_STARTUP_PACKET_LENGTH bytes after its length word
        String options = "x".repeat(10_004 - STARTUP_BYTES.length - "options\0\0".length());
        StartupMessage large = StartupMessage.of("alice", "shop", Map.of("application_name", "psql", "options", options));
        byte[] bytes = encoded(large::encode);
        assertThat(bytes).hasSize(10_004);

        assertThat(channel.feed(bytes)).containsExactly(large);
        channel.finish();
    }

    static Stream<Arguments> badStartupLengths() {
        return Stream.of(
                Arguments.of("length 0", hex("00 00 00 00 00 03 00 00")),
                Arguments.of("length 4", hex("00 00 00 04 00 03 00 00")),
                Arguments.of("length 7, too short for a version", hex("00 00 00 07 00 03 00")),
                Arguments.of("length 10005", hex("00 00 27 15 00 03 00 00")),
                Arguments.of("length 0x7fffffff", hex("7f ff ff ff 00 03 00 00")),
                Arguments.of("length 0x80000000, negative", hex("80 00 00 00 00 03 00 00")),
                Arguments.of("SSLRequest of 12 bytes", hex("00 00 00 0c 04 d2 16 2f 00 00 00 00")),
                Arguments.of("GSSENCRequest of 12 bytes", hex("00 00 00 0c 04 d2 16 30 00 00 00 00")),
                Arguments.of("CancelRequest of 12 bytes", hex("00 00 00 0c 04 d2 16 2e 00 00 00 01")),
                Arguments.of("CancelRequest of 20 bytes",
                        hex("00 00 00 14 04 d2 16 2e 00 00 00 01 00 00 00 02 00 00 00 03")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStartupLengths")
    void badStartupLengthIsRefusedAndTheRestDiscarded(String scenario, byte[] packet) {
        Read read = channel.write(concat(packet, STARTUP_BYTES));

        assertThat(read.emitted()).isEmpty();
        assertThat(read.error()).hasMessage("invalid length of startup packet");
        assertThat(read.error().sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        assertThat(channel.feed(STARTUP_BYTES, QUERY)).isEmpty();
        channel.finish();
    }

    @Test
    void protocol2IsNotSupported() {
        // a version 2.0 startup packet: length 296, then database, user, options, unused, tty (fixed width)
        byte[] v2 = concat(int32(296), hex("00 02 00 00"), ascii("shop"), new byte[64 - 4], ascii("alice"),
                new byte[32 - 5], new byte[64 + 64 + 64]);
        assertThat(v2).hasSize(296);

        Read read = channel.write(concat(v2, STARTUP_BYTES));

        assertThat(read.emitted()).isEmpty();
        assertThat(read.error()).hasMessage("unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
        assertThat(read.error().sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
        assertThat(channel.feed(STARTUP_BYTES)).isEmpty();
        channel.finish();
    }

    @Test
    void protocol4IsNotSupportedEither() {
        Read read = channel.write(hex("00 00 00 09 00 04 00 00 00"));

        assertThat(read.error()).hasMessage("unsupported frontend protocol 4.0: server supports 3.0 to 3.0");
        assertThat(read.error().sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
        channel.finish();
    }

    @Test
    void newerMinorVersionIsPassedOnForNegotiation() {
        byte[] v32 = concat(hex("00 00 00 14 00 03 00 02"), ascii("user\0alice\0\0"));

        List<Object> emitted = channel.feed(v32);

        assertThat(emitted).singleElement().isInstanceOfSatisfying(StartupMessage.class, s -> {
            assertThat(s.protocolVersion()).isEqualTo(0x0003_0002);
            assertThat(s.user()).isEqualTo("alice");
        });
        channel.finish();
    }

    @Test
    void startupWithoutItsTerminatorIsRefused() {
        Read read = channel.write(concat(hex("00 00 00 13 00 03 00 00"), ascii("user\0alice\0"), QUERY));

        assertThat(read.emitted()).isEmpty();
        assertThat(read.error()).hasMessage("invalid startup packet layout: expected terminator as last byte");
        channel.finish();
    }

    static Stream<Arguments> badMessages() {
        return Stream.of(
                Arguments.of("a type byte no client sends", hex("3f 00 00 00 04"), "invalid frontend message type 63"),
                Arguments.of("type byte 0: an SSLRequest after the startup", hex("00 00 00 08 04 d2 16 2f"),
                        "invalid frontend message type 0"),
                Arguments.of("type byte 255", hex("ff 00 00 00 04"), "invalid frontend message type 255"),
                Arguments.of("length below 4", hex("53 00 00 00 03"), "invalid message length"),
                Arguments.of("length 0x80000000 (2 GB, negative)", hex("51 80 00 00 00"), "invalid message length"),
                Arguments.of("Sync claiming 20000 bytes", hex("53 00 00 4e 20"), "invalid message length"),
                Arguments.of("Describe claiming 10001 bytes", hex("44 00 00 27 11"), "invalid message length"),
                Arguments.of("Query claiming 0x7fffffff bytes", hex("51 7f ff ff ff"), "invalid message length"),
                Arguments.of("CopyData claiming 1 GB", hex("64 3f ff ff ff"), "invalid message length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void badMessageIsRefusedAndEverythingAfterItDiscarded(String scenario, byte[] bad, String error) {
        channel.feed(STARTUP_BYTES);

        Read read = channel.write(concat(QUERY, bad, QUERY));

        assertThat(read.emitted()).as("what came before the violation").containsExactly(Frame.of(QUERY));
        assertThat(read.error()).hasMessage(error);
        assertThat(read.error().sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        Read later = channel.write(concat(QUERY, encoded(Sync.INSTANCE::encode)));
        assertThat(later.emitted()).isEmpty();
        assertThat(later.error()).isNull();
        channel.finish();
    }

    @Test
    void longestAllowedLengthsMakeTheDecoderWaitNotFail() {
        channel.feed(STARTUP_BYTES);

        // PQ_SMALL_MESSAGE_LIMIT for Sync, PQ_LARGE_MESSAGE_LIMIT for Query: both legal, so wait for the body
        assertThat(channel.feed(hex("53 00 00 27 10 00 00"))).isEmpty();
        DecoderChannel other = new DecoderChannel(new FrontendDecoder(false));
        other.feed(STARTUP_BYTES);
        assertThat(other.feed(hex("51 3f ff ff fe 53 45 4c"))).isEmpty();
        channel.finish();
        other.finish();
    }

    @Test
    void largeQueryUpToTheSmallLimitOfOtherMessagesIsFine() {
        byte[] query = encoded(new Query("SELECT '" + "x".repeat(20_000) + "'")::encode);
        channel.feed(STARTUP_BYTES);

        assertThat(channel.feed(query)).containsExactly(Frame.of(query));
        channel.finish();
    }
}
