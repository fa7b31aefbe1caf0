package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever a peer sends, we answer with a ScramException worded like PostgreSQL's, never crash. */
class ScramMalformedMessageTest {
    private static final ScramSecret SECRET = ScramSecret.fromPassword("pencil", new byte[16], 16);

    static Stream<Arguments> badClientFirstMessages() {
        return Stream.of(
                Arguments.of("", "08P01", "malformed SCRAM message", "The message is empty."),
                Arguments.of("n,,n=,r=a\0b", "08P01", "malformed SCRAM message",
                        "Message length does not match input length."),
                Arguments.of("p=tls-server-end-point,,n=,r=abc", "08P01", "malformed SCRAM message",
                        "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes"
                                + " channel binding data."),
                Arguments.of("x,,n=,r=abc", "08P01", "malformed SCRAM message", "Unexpected channel-binding flag \"x\"."),
                Arguments.of("\u0001,,n=,r=abc", "08P01", "malformed SCRAM message",
                        "Unexpected channel-binding flag \"0x01\"."),
                Arguments.of("n", "08P01", "malformed SCRAM message", "Comma expected, but found character \"0x00\"."),
                Arguments.of("n;,n=,r=abc", "08P01", "malformed SCRAM message",
                        "Comma expected, but found character \";\"."),
                Arguments.of("n,a=admin,n=,r=abc", "0A000",
                        "client uses authorization identity, but it is not supported", null),
                Arguments.of("n,b,n=,r=abc", "08P01", "malformed SCRAM message",
                        "Unexpected attribute \"b\" in client-first-message."),
                Arguments.of("n,,m=ext,n=,r=abc", "0A000", "client requires an unsupported SCRAM extension", null),
                Arguments.of("n,,", "08P01", "malformed SCRAM message", "Attribute expected, but found end of string."),
                Arguments.of("n,,r=abc", "08P01", "malformed SCRAM message",
                        "Expected attribute \"n\" but found \"r\"."),
                Arguments.of("n,,n", "08P01", "malformed SCRAM message",
                        "Expected character \"=\" for attribute \"n\"."),
                Arguments.of("n,,n=,", "08P01", "malformed SCRAM message",
                        "Attribute expected, but found end of string."),
                Arguments.of("n,,n=,r=ab c", "08P01", "non-printable characters in SCRAM nonce", null),
                Arguments.of("n,,n=,r=abc,1=x", "08P01", "malformed SCRAM message",
                        "Attribute expected, but found invalid character \"1\"."));
    }

    @ParameterizedTest
    @MethodSource("badClientFirstMessages")
    void serverRefusesABadClientFirstMessage(String message, String sqlState, String error, String detail) {
        ScramServer server = ScramServer.forSecret(SECRET);

        assertScramError(() -> server.handleClientFirst(message.getBytes(StandardCharsets.ISO_8859_1)),
                sqlState, error, detail);
    }

    static Stream<Arguments> badClientFinalMessages() {
        String proof = "p=" + ScramCrypto.base64(new byte[32]);
        return Stream.of(
                Arguments.of("c=eSws,r=CNSN," + proof, "unexpected SCRAM channel-binding attribute in client-final-message",
                        null),
                Arguments.of("c=cD10bHMtc2VydmVyLWVuZC1wb2ludCws,r=CNSN," + proof,
                        "unexpected SCRAM channel-binding attribute in client-final-message", null),
                Arguments.of("r=CNSN," + proof, "malformed SCRAM message", "Expected attribute \"c\" but found \"r\"."),
                Arguments.of("c=biws,r=CNSN", "malformed SCRAM message", "Attribute expected, but found end of string."),
                Arguments.of("c=biws,r=CNSN,p=!!!!", "malformed SCRAM message", "Malformed proof in client-final-message."),
                Arguments.of("c=biws,r=CNSN,p=AAAA", "malformed SCRAM message", "Malformed proof in client-final-message."),
                Arguments.of("c=biws,r=CNSN," + proof + ",x=y", "malformed SCRAM message",
                        "Garbage found at the end of client-final-message."),
                Arguments.of("c=biws,r=CNXX," + proof, "invalid SCRAM response", "Nonce does not match."),
                Arguments.of("c=biws,r=CN," + proof, "invalid SCRAM response", "Nonce does not match."));
    }

    @ParameterizedTest
    @MethodSource("badClientFinalMessages")
    void serverRefusesABadClientFinalMessage(String message, String error, String detail) {
        ScramServer server = new ScramServer(SECRET, "SN");
        server.handleClientFirst(bytes("n,,n=,r=CN"));

        assertScramError(() -> server.handleClientFinal(bytes(message)), "08P01", error, detail);
        // the exchange is over after an error
        assertThatThrownBy(() -> server.handleClientFinal(bytes(message))).isInstanceOf(IllegalStateException.class);
    }

    static Stream<Arguments> badServerFirstMessages() {
        return Stream.of(
                Arguments.of("", "malformed SCRAM message", "The message is empty."),
                Arguments.of("s=AAAA,i=4096", "malformed SCRAM message", "Expected attribute \"r\" but found \"s\"."),
                Arguments.of("r=OTHERSN,s=AAAA,i=4096", "invalid SCRAM response", "Nonce does not match."),
                Arguments.of("r=CN,s=AAAA,i=4096", "invalid SCRAM response", "Nonce does not match."),
                Arguments.of("r=CNS N,s=AAAA,i=4096", "non-printable characters in SCRAM nonce", null),
                Arguments.of("r=CNSN,s=!!,i=4096", "malformed SCRAM message", "Invalid salt in server-first-message."),
                Arguments.of("r=CNSN,s=,i=4096", "malformed SCRAM message", "Invalid salt in server-first-message."),
                Arguments.of("r=CNSN,s=AAAA,i=0", "malformed SCRAM message",
                        "Invalid iteration count in server-first-message."),
                Arguments.of("r=CNSN,s=AAAA,i=-1", "malformed SCRAM message",
                        "Invalid iteration count in server-first-message."),
                Arguments.of("r=CNSN,s=AAAA,i=99999999999", "malformed SCRAM message",
                        "Invalid iteration count in server-first-message."),
                Arguments.of("r=CNSN,s=AAAA,i=4096,x=1", "malformed SCRAM message",
                        "Garbage found at the end of server-first-message."));
    }

    @ParameterizedTest
    @MethodSource("badServerFirstMessages")
    void clientRefusesABadServerFirstMessage(String message, String error, String detail) {
        ScramClient client = new ScramClient("", "CN", bytes("pencil"), null, null);
        client.clientFirst();

        assertScramError(() -> client.handleServerFirst(bytes(message)), "08P01", error, detail);
    }

    @Test
    void clientRefusesABadServerFinalMessage() {
        for (String message : new String[] {"", "x=1", "v=!!", "v=AAAA", "v=" + ScramCrypto.base64(new byte[32]) + ",z"}) {
            ScramClient client = new ScramClient("", "CN", bytes("pencil"), null, null);
            client.clientFirst();
            client.handleServerFirst(bytes("r=CNSN,s=AAAA,i=16"));

            Throwable thrown = catchThrowable(() -> client.handleServerFinal(bytes(message)));
            assertThat(thrown).as(message).isInstanceOf(ScramException.class);
            assertThat(client.isComplete()).isFalse();
        }
    }

    /** Random bytes and random damage to good messages: only ScramException, or an honest success. */
    @Test
    void fuzzedMessagesNeverCrash() {
        Random random = new Random(20240611);
        ScramClient model = new ScramClient("", "CN", bytes("pencil"), null, null);
        model.clientFirst();
        String[] seeds = {
            "n,,n=,r=CN",
            "y,,n=user,r=CN,x=ext",
            "c=biws,r=CNSN,p=" + ScramCrypto.base64(new byte[32]),
            text(model.handleServerFirst(bytes("r=CNSN,s=" + ScramCrypto.base64(SECRET.salt()) + ",i=16"))),
            "r=CNSN,s=AAAA,i=16",
            "v=" + ScramCrypto.base64(new byte[32]),
        };
        for (int round = 0; round < 20_000; round++) {
            byte[] message = round % 4 == 0 ? randomBytes(random) : mutate(random, bytes(seeds[random.nextInt(seeds.length)]));

            ScramServer first = new ScramServer(SECRET, "SN");
            expectOnlyScramException(() -> first.handleClientFirst(message), message);

            ScramServer second = new ScramServer(SECRET, "SN");
            second.handleClientFirst(bytes("n,,n=,r=CN"));
            expectOnlyScramException(() -> second.handleClientFinal(message), message);

            ScramClient client = new ScramClient("", "CN", bytes("pencil"), null, null);
            client.clientFirst();
            expectOnlyScramException(() -> client.handleServerFirst(message), message);
        }
    }

    private static void expectOnlyScramException(Runnable step, byte[] message) {
        Throwable thrown = catchThrowable(step::run);
        if (thrown != null && !(thrown instanceof ScramException)) {
            throw new AssertionError("crashed on " + ScramCrypto.base64(message), thrown);
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(80)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, byte[] seed) {
        StringBuilder s = new StringBuilder(new String(seed, StandardCharsets.ISO_8859_1));
        String alphabet = ",=nrcpsivyame0123456789+/ \0\u00ff";
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> { if (s.length() > 0) s.deleteCharAt(at); }
                case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> { if (s.length() > 0) s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); }
            }
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertScramError(Runnable step, String sqlState, String error, String detail) {
        Throwable thrown = catchThrowable(step::run);
        assertThat(thrown).isInstanceOf(ScramException.class).hasMessage(error);
        ScramException e = (ScramException) thrown;
        assertThat(e.sqlState()).isEqualTo(sqlState);
        assertThat(e.detail().orElse(null)).isEqualTo(detail);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
