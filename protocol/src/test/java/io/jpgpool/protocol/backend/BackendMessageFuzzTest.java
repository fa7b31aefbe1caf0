package io.jpgpool.protocol.backend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.encoded;

import io.jpgpool.protocol.Fuzz;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever body a server (or something pretending to be one) puts in a frame, decoding it either works or fails
 * with a clear ProtocolException (an IndexOutOfBoundsException for a body cut short is tolerated).
 */
class BackendMessageFuzzTest {
    private static final int BODIES = 2_000;

    static Stream<Arguments> decoders() {
        return Stream.of(
                Arguments.of("ErrorResponse", (Consumer<ByteBuf>) ErrorResponse::decode,
                        encoded(ErrorResponse.error("42601", "syntax error", "near here")::encode)),
                Arguments.of("NoticeResponse", (Consumer<ByteBuf>) ErrorResponse::sqlState,
                        encoded(ErrorResponse.notice("00000", "nothing to do")::encode)),
                Arguments.of("Authentication SASL", (Consumer<ByteBuf>) Authentication::decode,
                        encoded(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))::encode)),
                Arguments.of("Authentication MD5", (Consumer<ByteBuf>) Authentication::decode,
                        encoded(new Authentication.Md5Password(new byte[] {1, 2, 3, 4})::encode)),
                Arguments.of("Authentication SASLContinue", (Consumer<ByteBuf>) Authentication::decode,
                        encoded(new Authentication.SaslContinue(ascii("r=abc,s=c2FsdA==,i=4096"))::encode)),
                Arguments.of("ParameterStatus", (Consumer<ByteBuf>) ParameterStatus::decode,
                        encoded(new ParameterStatus("TimeZone", "UTC")::encode)),
                Arguments.of("BackendKeyData", (Consumer<ByteBuf>) BackendKeyData::decode,
                        encoded(new BackendKeyData(1, 2)::encode)),
                Arguments.of("CommandComplete", (Consumer<ByteBuf>) CommandComplete::decode,
                        encoded(new CommandComplete("INSERT 0 1")::encode)),
                Arguments.of("ReadyForQuery", (Consumer<ByteBuf>) ReadyForQuery::status,
                        encoded(b -> ReadyForQuery.encode(b, ReadyForQuery.IN_TRANSACTION))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    @Timeout(10)
    void anyBodyDecodesOrFailsClearly(String message, Consumer<ByteBuf> decode, byte[] valid) {
        Fuzz.assertEveryBodyDecodesOrFailsClearly(message, decode, valid, BODIES);
    }
}
