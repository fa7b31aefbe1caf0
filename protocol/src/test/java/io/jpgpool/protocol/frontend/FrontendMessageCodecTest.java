package io.jpgpool.protocol.frontend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.encoded;
import static io.jpgpool.protocol.WireBytes.frame;
import static io.jpgpool.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client messages on the wire: what each encodes to (checked byte by byte against the layouts in the protocol
 * docs, "Message Formats") and that decoding gives the message back.
 */
class FrontendMessageCodecTest {

    @Test
    void queryIsTagLengthAndTheNulTerminatedText() {
        byte[] bytes = encoded(new Query("SELECT 1")::encode);

        assertThat(bytes).isEqualTo(hex("51 00 00 00 0d 53 45 4c 45 43 54 20 31 00"));
        assertThat(Query.decode(frame(bytes))).isEqualTo(new Query("SELECT 1"));
    }

    @Test
    void queryLengthCountsUtf8BytesNotCharacters() {
        Query query = new Query("SELECT 'Grüße €'");
        byte[] bytes = encoded(query::encode);

        assertThat(bytes).hasSize(1 + 4 + ascii("SELECT 'Grüße €'").length + 1);
        assertThat(Unpooled.wrappedBuffer(bytes).getInt(1)).isEqualTo(bytes.length - 1);
        assertThat(Query.decode(frame(bytes))).isEqualTo(query);
    }

    @Test
    void parseCarriesNameQueryAndParameterTypes() {
        Parse parse = new Parse("s1", "SELECT $1", new int[] {23});
        byte[] bytes = encoded(parse::encode);

        assertThat(bytes).isEqualTo(concat(hex("50 00 00 00 17"), ascii("s1\0SELECT $1\0"), hex("00 01 00 00 00 17")));
        Parse decoded = Parse.decode(frame(bytes));
        assertThat(decoded.name()).isEqualTo("s1");
        assertThat(decoded.query()).isEqualTo("SELECT $1");
        assertThat(decoded.parameterTypes()).containsExactly(23);
    }

    @Test
    void unnamedParseWithoutTypesRoundTrips() {
        Parse decoded = Parse.decode(frame(encoded(new Parse("", "BEGIN")::encode)));

        assertThat(decoded.name()).isEmpty();
        assertThat(decoded.query()).isEqualTo("BEGIN");
        assertThat(decoded.parameterTypes()).isEmpty();
    }

    @Test
    void bindEncodesNoParametersAndTextResults() {
        byte[] bytes = encoded(new Bind("p1", "s1")::encode);

        assertThat(bytes).isEqualTo(concat(hex("42 00 00 00 10"), ascii("p1\0s1\0"), hex("00 00 00 00 00 00")));
        assertThat(Bind.decode(frame(bytes))).isEqualTo(new Bind("p1", "s1"));
    }

    @Test
    void bindDecodesOnlyTheNamesOfAClientsBindWithParameters() {
        // portal "", statement "s1", one text format code, one parameter '42', one binary result column
        byte[] bytes = concat(hex("42 00 00 00 18"), ascii("\0s1\0"),
                hex("00 01 00 00" + "00 01 00 00 00 02 34 32" + "00 01 00 01"));

        assertThat(Bind.decode(frame(bytes))).isEqualTo(new Bind("", "s1"));
    }

    @Test
    void describeAndCloseCarryAKindByteAndAName() {
        byte[] describe = encoded(new Describe(Describe.PORTAL, "")::encode);
        byte[] close = encoded(new Close(Close.STATEMENT, "s1")::encode);

        assertThat(describe).isEqualTo(hex("44 00 00 00 06 50 00"));
        assertThat(close).isEqualTo(hex("43 00 00 00 08 53 73 31 00"));
        assertThat(Describe.decode(frame(describe))).isEqualTo(new Describe(Describe.PORTAL, ""));
        assertThat(Describe.decode(frame(describe)).isStatement()).isFalse();
        assertThat(Close.decode(frame(close))).isEqualTo(new Close(Close.STATEMENT, "s1"));
        assertThat(Close.decode(frame(close)).isStatement()).isTrue();
    }

    @Test
    void executeCarriesPortalAndRowLimit() {
        byte[] bytes = encoded(new Execute("", 0)::encode);

        assertThat(bytes).isEqualTo(hex("45 00 00 00 09 00 00 00 00 00"));
        assertThat(Execute.decode(frame(bytes))).isEqualTo(new Execute("", 0));
        assertThat(Execute.decode(frame(encoded(new Execute("c1", 50)::encode)))).isEqualTo(new Execute("c1", 50));
    }

    @Test
    void bodilessMessagesAreTagAndLengthFour() {
        assertThat(encoded(Sync.INSTANCE::encode)).isEqualTo(hex("53 00 00 00 04"));
        assertThat(encoded(Flush.INSTANCE::encode)).isEqualTo(hex("48 00 00 00 04"));
        assertThat(encoded(Terminate.INSTANCE::encode)).isEqualTo(hex("58 00 00 00 04"));
    }

    @Test
    void copyFailAndPasswordAreOneString() {
        CopyFail fail = new CopyFail("aborted by user");
        PasswordMessage password = new PasswordMessage("md5" + "0".repeat(32));

        assertThat(encoded(new PasswordMessage("pw")::encode)).isEqualTo(hex("70 00 00 00 07 70 77 00"));
        assertThat(CopyFail.decode(frame(encoded(fail::encode)))).isEqualTo(fail);
        assertThat(PasswordMessage.decode(frame(encoded(password::encode)))).isEqualTo(password);
    }

    @Test
    void saslInitialResponseIsMechanismThenLengthPrefixedData() {
        byte[] data = ascii("n,,n=,r=abc");
        byte[] bytes = encoded(new SASLInitialResponse("SCRAM-SHA-256", data)::encode);

        assertThat(bytes).isEqualTo(concat(hex("70 00 00 00 21"), ascii("SCRAM-SHA-256\0"), hex("00 00 00 0b"), data));
        SASLInitialResponse decoded = SASLInitialResponse.decode(frame(bytes));
        assertThat(decoded.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(decoded.data()).isEqualTo(data);
    }

    @Test
    void saslInitialResponseWithLengthMinusOneHasNoData() {
        byte[] bytes = concat(hex("70 00 00 00 16"), ascii("SCRAM-SHA-256\0"), hex("ff ff ff ff"));

        SASLInitialResponse decoded = SASLInitialResponse.decode(frame(bytes));

        assertThat(decoded.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(decoded.data()).isEmpty();
    }

    @Test
    void saslResponseIsTheRawData() {
        byte[] data = ascii("c=biws,r=abc,p=xyz");
        byte[] bytes = encoded(new SASLResponse(data)::encode);

        assertThat(bytes).isEqualTo(concat(hex("70 00 00 00 16"), data));
        assertThat(SASLResponse.decode(frame(bytes)).data()).isEqualTo(data);
    }

    @Test
    void startupMessageIsLengthVersionAndNameValuePairsEndingInNul() {
        StartupMessage startup = StartupMessage.of("alice", "db", Map.of());
        byte[] bytes = encoded(startup::encode);

        assertThat(bytes).isEqualTo(concat(hex("00 00 00 20 00 03 00 00"), ascii("user\0alice\0database\0db\0\0")));
        StartupMessage decoded = StartupMessage.decode(StartupMessage.PROTOCOL_3_0,
                Unpooled.wrappedBuffer(bytes, 8, bytes.length - 8));
        assertThat(decoded).isEqualTo(startup);
        assertThat(decoded.parameters().keySet()).containsExactly("user", "database");
    }

    @Test
    void sslGssAndCancelRequestsAreUntaggedWithTheirMagicCodes() {
        assertThat(encoded(SSLRequest.INSTANCE::encode)).isEqualTo(hex("00 00 00 08 04 d2 16 2f"));
        assertThat(encoded(GSSENCRequest.INSTANCE::encode)).isEqualTo(hex("00 00 00 08 04 d2 16 30"));
        assertThat(encoded(new CancelRequest(4242, -2)::encode))
                .isEqualTo(hex("00 00 00 10 04 d2 16 2e 00 00 10 92 ff ff ff fe"));
    }
}
