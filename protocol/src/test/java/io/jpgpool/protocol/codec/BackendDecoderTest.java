package io.jpgpool.protocol.codec;

import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.encoded;
import static io.jpgpool.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.BackendKeyData;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.DataRow;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.backend.RowDescription;
import io.jpgpool.protocol.codec.DecoderChannel.Frame;
import io.jpgpool.protocol.codec.DecoderChannel.Read;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a server sends, cut into whole frames however the bytes arrive; a length no server sends is refused. */
class BackendDecoderTest {
    /** A login followed by a one-row SELECT. */
    private static final List<byte[]> LOGIN_AND_SELECT = List.of(
            encoded(new Authentication.Ok()::encode),
            encoded(new ParameterStatus("server_version", "15.8")::encode),
            encoded(new ParameterStatus("client_encoding", "UTF8")::encode),
            encoded(new BackendKeyData(4242, 99)::encode),
            encoded(b -> ReadyForQuery.encode(b, ReadyForQuery.IDLE)),
            encoded(new RowDescription(List.of("?column?"))::encode),
            encoded(new DataRow(Arrays.asList("1", null))::encode),
            encoded(new CommandComplete("SELECT 1")::encode),
            encoded(b -> ReadyForQuery.encode(b, ReadyForQuery.IDLE)));

    private final DecoderChannel channel = new DecoderChannel(new BackendDecoder());

    private static byte[] stream() {
        return concat(LOGIN_AND_SELECT.toArray(byte[][]::new));
    }

    private static List<Object> frames() {
        return LOGIN_AND_SELECT.stream().map(m -> (Object) Frame.of(m)).toList();
    }

    @Test
    void messagesInOneRead() {
        assertThat(channel.feed(stream())).containsExactlyElementsOf(frames());
        channel.finish();
    }

    @Test
    void messagesByteByByte() {
        assertThat(channel.feedByteByByte(stream())).containsExactlyElementsOf(frames());
        channel.finish();
    }

    @Test
    void messagesSplitAtEveryPoint() {
        byte[] stream = stream();
        for (int cut = 1; cut < stream.length; cut++) {
            DecoderChannel split = new DecoderChannel(new BackendDecoder());

            List<Object> emitted = split.feed(Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length));

            assertThat(emitted).as("split at %d", cut).containsExactlyElementsOf(frames());
            split.finish();
        }
    }

    @Test
    void aLargeDataRowWaitsForAllItsBytes() {
        byte[] row = encoded(new DataRow(List.of("x".repeat(100_000)))::encode);

        assertThat(channel.feed(Arrays.copyOfRange(row, 0, 65_536))).isEmpty();
        assertThat(channel.feed(Arrays.copyOfRange(row, 65_536, row.length))).containsExactly(Frame.of(row));
        channel.finish();
    }

    static Stream<Arguments> badLengths() {
        return Stream.of(
                Arguments.of("length 0", hex("5a 00 00 00 00 49"), 0),
                Arguments.of("length 3", hex("5a 00 00 00 03 49"), 3),
                Arguments.of("length -1", hex("44 ff ff ff ff"), -1),
                Arguments.of("length 0x80000000", hex("44 80 00 00 00"), Integer.MIN_VALUE),
                Arguments.of("length 0x40000000, over 1 GB", hex("44 40 00 00 00"), 0x4000_0000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLengths")
    void lengthNoServerSendsIsRefused(String scenario, byte[] bad, int length) {
        byte[] ready = LOGIN_AND_SELECT.get(4);

        Read read = channel.write(concat(ready, bad, ready));

        assertThat(read.emitted()).as("what came before it").containsExactly(Frame.of(ready));
        assertThat(read.error()).hasMessage("invalid message length " + length + " from server");
        assertThat(read.error().sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        channel.finish();
    }

    @Test
    void lengthOfJustUnder1GbIsWaitedFor() {
        assertThat(channel.feed(hex("44 3f ff ff ff 00 01"))).isEmpty();
        channel.finish();
    }
}
