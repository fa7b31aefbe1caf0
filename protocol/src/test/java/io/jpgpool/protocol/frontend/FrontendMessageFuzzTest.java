package io.jpgpool.protocol.frontend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.encoded;

import io.jpgpool.protocol.Fuzz;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever body a client puts in a frame, decoding it either works or fails with a clear ProtocolException (an
 * IndexOutOfBoundsException for a body cut short is tolerated): never a NullPointerException, a negative array
 * size or anything else.
 */
class FrontendMessageFuzzTest {
    private static final int BODIES = 2_000;

    static Stream<Arguments> decoders() {
        return Stream.of(
                Arguments.of("Query", (Consumer<ByteBuf>) Query::decode, encoded(new Query("SELECT 1")::encode)),
                Arguments.of("Parse", (Consumer<ByteBuf>) Parse::decode,
                        encoded(new Parse("s1", "SELECT $1, $2", new int[] {23, 25})::encode)),
                Arguments.of("Bind", (Consumer<ByteBuf>) Bind::decode, encoded(new Bind("p1", "s1")::encode)),
                Arguments.of("Describe", (Consumer<ByteBuf>) Describe::decode,
                        encoded(new Describe(Describe.STATEMENT, "s1")::encode)),
                Arguments.of("Close", (Consumer<ByteBuf>) Close::decode, encoded(new Close(Close.PORTAL, "p1")::encode)),
                Arguments.of("Execute", (Consumer<ByteBuf>) Execute::decode, encoded(new Execute("p1", 10)::encode)),
                Arguments.of("CopyFail", (Consumer<ByteBuf>) CopyFail::decode, encoded(new CopyFail("stop")::encode)),
                Arguments.of("PasswordMessage", (Consumer<ByteBuf>) PasswordMessage::decode,
                        encoded(new PasswordMessage("secret")::encode)),
                Arguments.of("SASLInitialResponse", (Consumer<ByteBuf>) SASLInitialResponse::decode,
                        encoded(new SASLInitialResponse("SCRAM-SHA-256", ascii("n,,n=,r=abc"))::encode)),
                Arguments.of("SASLResponse", (Consumer<ByteBuf>) SASLResponse::decode,
                        encoded(new SASLResponse(ascii("c=biws"))::encode)),
                // the startup packet's body: after its length and version words
                Arguments.of("StartupMessage", (Consumer<ByteBuf>) b -> StartupMessage.decode(StartupMessage.PROTOCOL_3_0,
                        b.skipBytes(Math.min(5, b.readableBytes()))),
                        startupBodyAsFrame()));
    }

    /** A startup packet's pairs behind a 5-byte header, so it is damaged and cut like the tagged messages. */
    private static byte[] startupBodyAsFrame() {
        byte[] packet = encoded(StartupMessage.of("alice", "shop", Map.of("application_name", "psql"))::encode);
        byte[] frame = new byte[packet.length - 3];
        System.arraycopy(packet, 8, frame, 5, packet.length - 8);
        return frame;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    @Timeout(10)
    void anyBodyDecodesOrFailsClearly(String message, Consumer<ByteBuf> decode, byte[] valid) {
        Fuzz.assertEveryBodyDecodesOrFailsClearly(message, decode, valid, BODIES);
    }
}
