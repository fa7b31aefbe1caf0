package io.jpgpool.protocol.frontend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.frame;
import static io.jpgpool.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.SqlState;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A client that sends a well-framed but malformed message gets a protocol violation worded like PostgreSQL's. */
class MalformedFrontendMessageTest {

    static Stream<Arguments> malformedMessages() {
        return Stream.of(
                Arguments.of("Close of kind X", (Consumer<byte[]>) b -> Close.decode(frame(b)),
                        concat(hex("43 00 00 00 08 58"), ascii("s1\0")), "invalid CLOSE message subtype 88"),
                Arguments.of("Describe of kind Q", (Consumer<byte[]>) b -> Describe.decode(frame(b)),
                        concat(hex("44 00 00 00 08 51"), ascii("s1\0")), "invalid DESCRIBE message subtype 81"),
                Arguments.of("Query without its NUL", (Consumer<byte[]>) b -> Query.decode(frame(b)),
                        concat(hex("51 00 00 00 0c"), ascii("SELECT 1")), "invalid string in message"),
                Arguments.of("Bind without a statement name", (Consumer<byte[]>) b -> Bind.decode(frame(b)),
                        concat(hex("42 00 00 00 07"), ascii("p1\0")), "invalid string in message"),
                Arguments.of("Parse declaring two types but carrying one", (Consumer<byte[]>) b -> Parse.decode(frame(b)),
                        concat(hex("50 00 00 00 15"), ascii("\0SELECT $1\0"), hex("00 02 00 00 00 17")),
                        "invalid message format"),
                Arguments.of("SASLInitialResponse longer than its message",
                        (Consumer<byte[]>) b -> SASLInitialResponse.decode(frame(b)),
                        concat(hex("70 00 00 00 19"), ascii("SCRAM-SHA-256\0"), hex("00 00 00 09 6e 2c 2c")),
                        "malformed SASLInitialResponse message"),
                Arguments.of("SASLInitialResponse without a data length",
                        (Consumer<byte[]>) b -> SASLInitialResponse.decode(frame(b)),
                        concat(hex("70 00 00 00 12"), ascii("SCRAM-SHA-256\0")), "malformed SASLInitialResponse message"),
                Arguments.of("SASLInitialResponse with length -2",
                        (Consumer<byte[]>) b -> SASLInitialResponse.decode(frame(b)),
                        concat(hex("70 00 00 00 16"), ascii("SCRAM-SHA-256\0"), hex("ff ff ff fe")),
                        "malformed SASLInitialResponse message"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedMessages")
    void isAProtocolViolation(String scenario, Consumer<byte[]> decode, byte[] message, String error) {
        assertThatThrownBy(() -> decode.accept(message))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION))
                .hasMessage(error);
    }

    static Stream<Arguments> badStartupLayouts() {
        return Stream.of(
                Arguments.of("no parameters and no terminator", ""),
                Arguments.of("no terminator after the last pair", "user\0alice\0"),
                Arguments.of("a name without a value", "user\0alice\0database\0"),
                Arguments.of("a name whose value is the terminator", "user\0\0"),
                Arguments.of("bytes after the terminator", "user\0alice\0\0x\0"),
                Arguments.of("two terminators", "user\0alice\0\0\0"),
                Arguments.of("no NUL at all", "user"));
    }

    /** PostgreSQL's ProcessStartupPacket: the empty name that ends the list must be the packet's last byte. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badStartupLayouts")
    void startupPacketMustEndInItsTerminator(String scenario, String body) {
        assertThatThrownBy(() -> StartupMessage.decode(StartupMessage.PROTOCOL_3_0, Unpooled.wrappedBuffer(ascii(body))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid startup packet layout: expected terminator as last byte");
    }

    @Test
    void startupPacketWithJustTheTerminatorHasNoParameters() {
        StartupMessage startup = StartupMessage.decode(StartupMessage.PROTOCOL_3_0, Unpooled.wrappedBuffer(hex("00")));

        assertThat(startup.parameters()).isEmpty();
    }

    @Test
    void startupParameterMayBeEmpty() {
        StartupMessage startup = StartupMessage.decode(StartupMessage.PROTOCOL_3_0,
                Unpooled.wrappedBuffer(ascii("user\0alice\0options\0\0\0")));

        assertThat(startup.parameters()).containsExactly(Map.entry("user", "alice"), Map.entry("options", ""));
    }
}
