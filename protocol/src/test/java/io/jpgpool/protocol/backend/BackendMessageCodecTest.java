package io.jpgpool.protocol.backend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.encoded;
import static io.jpgpool.protocol.WireBytes.frame;
import static io.jpgpool.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server messages on the wire: what jpgpool's own messages encode to (checked byte by byte against the layouts
 * in the protocol docs, "Message Formats") and what it reads back from a server's.
 */
class BackendMessageCodecTest {

    @Test
    void readyForQueryIsTagLengthFiveAndTheStatus() {
        byte[] bytes = encoded(b -> ReadyForQuery.encode(b, ReadyForQuery.IDLE));

        assertThat(bytes).isEqualTo(hex("5a 00 00 00 05 49"));
        assertThat(ReadyForQuery.status(frame(bytes))).isEqualTo(ReadyForQuery.IDLE);
        assertThat(ReadyForQuery.status(frame(encoded(b -> ReadyForQuery.encode(b, ReadyForQuery.FAILED_TRANSACTION)))))
                .isEqualTo(ReadyForQuery.FAILED_TRANSACTION);
    }

    @Test
    void authenticationOkAndCleartextAreJustTheirCodes() {
        byte[] ok = encoded(new Authentication.Ok()::encode);
        byte[] cleartext = encoded(new Authentication.CleartextPassword()::encode);

        assertThat(ok).isEqualTo(hex("52 00 00 00 08 00 00 00 00"));
        assertThat(cleartext).isEqualTo(hex("52 00 00 00 08 00 00 00 03"));
        assertThat(Authentication.decode(frame(ok))).isEqualTo(new Authentication.Ok());
        assertThat(Authentication.decode(frame(cleartext))).isEqualTo(new Authentication.CleartextPassword());
    }

    @Test
    void authenticationMd5CarriesItsFourByteSalt() {
        byte[] bytes = encoded(new Authentication.Md5Password(hex("01 02 03 04"))::encode);

        assertThat(bytes).isEqualTo(hex("52 00 00 00 0c 00 00 00 05 01 02 03 04"));
        assertThat(Authentication.decode(frame(bytes)))
                .isInstanceOfSatisfying(Authentication.Md5Password.class,
                        md5 -> assertThat(md5.salt()).isEqualTo(hex("01 02 03 04")));
    }

    @Test
    void authenticationSaslListsMechanismsEndingInAnEmptyOne() {
        byte[] bytes = encoded(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))::encode);

        assertThat(bytes).isEqualTo(concat(hex("52 00 00 00 2a 00 00 00 0a"),
                ascii("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0")));
        assertThat(Authentication.decode(frame(bytes)))
                .isEqualTo(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")));
    }

    @Test
    void authenticationSaslContinueAndFinalCarryTheServersData() {
        byte[] data = ascii("r=abc,s=c2FsdA==,i=4096");
        byte[] continued = encoded(new Authentication.SaslContinue(data)::encode);
        byte[] last = encoded(new Authentication.SaslFinal(ascii("v=xyz"))::encode);

        assertThat(continued).isEqualTo(concat(hex("52 00 00 00 1f 00 00 00 0b"), data));
        assertThat(last).isEqualTo(concat(hex("52 00 00 00 0d 00 00 00 0c"), ascii("v=xyz")));
        assertThat(Authentication.decode(frame(continued))).isInstanceOfSatisfying(Authentication.SaslContinue.class,
                c -> assertThat(c.data()).isEqualTo(data));
        assertThat(Authentication.decode(frame(last))).isInstanceOfSatisfying(Authentication.SaslFinal.class,
                f -> assertThat(f.data()).isEqualTo(ascii("v=xyz")));
    }

    @Test
    void otherAuthenticationMethodsAreUnsupported() {
        byte[] gss = encoded(new Authentication.Unsupported(7)::encode);

        assertThat(gss).isEqualTo(hex("52 00 00 00 08 00 00 00 07"));
        assertThat(Authentication.decode(frame(gss))).isEqualTo(new Authentication.Unsupported(7));
    }

    @Test
    void authenticationWithoutACodeIsAProtocolViolation() {
        assertThatThrownBy(() -> Authentication.decode(frame(hex("52 00 00 00 06 00 00"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid authentication request");
    }

    @Test
    void parameterStatusIsNameAndValue() {
        byte[] bytes = encoded(new ParameterStatus("client_encoding", "UTF8")::encode);

        assertThat(bytes).isEqualTo(concat(hex("53 00 00 00 19"), ascii("client_encoding\0UTF8\0")));
        assertThat(ParameterStatus.decode(frame(bytes))).isEqualTo(new ParameterStatus("client_encoding", "UTF8"));
    }

    @Test
    void backendKeyDataIsProcessIdAndSecret() {
        byte[] bytes = encoded(new BackendKeyData(4242, -2)::encode);

        assertThat(bytes).isEqualTo(hex("4b 00 00 00 0c 00 00 10 92 ff ff ff fe"));
        assertThat(BackendKeyData.decode(frame(bytes))).isEqualTo(new BackendKeyData(4242, -2));
    }

    @Test
    void commandCompleteIsTheTag() {
        byte[] bytes = encoded(new CommandComplete("SELECT 1")::encode);

        assertThat(bytes).isEqualTo(hex("43 00 00 00 0d 53 45 4c 45 43 54 20 31 00"));
        assertThat(CommandComplete.decode(frame(bytes))).isEqualTo(new CommandComplete("SELECT 1"));
    }

    @Test
    void bodilessServerMessages() {
        assertThat(encoded(EmptyMessages::parseComplete)).isEqualTo(hex("31 00 00 00 04"));
        assertThat(encoded(EmptyMessages::bindComplete)).isEqualTo(hex("32 00 00 00 04"));
        assertThat(encoded(EmptyMessages::closeComplete)).isEqualTo(hex("33 00 00 00 04"));
        assertThat(encoded(EmptyMessages::noData)).isEqualTo(hex("6e 00 00 00 04"));
        assertThat(encoded(EmptyMessages::emptyQueryResponse)).isEqualTo(hex("49 00 00 00 04"));
    }

    @Test
    void rowDescriptionDescribesTextColumnsNumberedFromZero() {
        byte[] bytes = encoded(new RowDescription(List.of("a", "b"))::encode);

        // per column: name, table OID 0, attribute number, type OID 25 (text), typlen -1, typmod -1, format 0
        assertThat(bytes).isEqualTo(concat(hex("54 00 00 00 2e 00 02"),
                ascii("a\0"), hex("00 00 00 00 00 00 00 00 00 19 ff ff ff ff ff ff 00 00"),
                ascii("b\0"), hex("00 00 00 00 00 01 00 00 00 19 ff ff ff ff ff ff 00 00")));
    }

    @Test
    void dataRowSendsNullAsLengthMinusOne() {
        byte[] bytes = encoded(new DataRow(Arrays.asList("1", null, "é"))::encode);

        assertThat(bytes).isEqualTo(hex("44 00 00 00 15 00 03 00 00 00 01 31 ff ff ff ff 00 00 00 02 c3 a9"));
    }

    @Test
    void negotiateProtocolVersionListsTheOptionsItDidNotRecognise() {
        byte[] bytes = encoded(new NegotiateProtocolVersion(0, List.of("_pq_.compression"))::encode);

        assertThat(bytes).isEqualTo(concat(hex("76 00 00 00 1d 00 00 00 00 00 00 00 01"), ascii("_pq_.compression\0")));
    }
}
