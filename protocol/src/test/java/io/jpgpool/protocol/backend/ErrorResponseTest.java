package io.jpgpool.protocol.backend;

import static io.jpgpool.protocol.WireBytes.ascii;
import static io.jpgpool.protocol.WireBytes.concat;
import static io.jpgpool.protocol.WireBytes.encoded;
import static io.jpgpool.protocol.WireBytes.frame;
import static io.jpgpool.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.SqlState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ErrorResponse and NoticeResponse: one-letter fields as PostgreSQL sends them, so clients cannot tell ours apart. */
class ErrorResponseTest {

    @Test
    void errorIsSeverityTwiceThenCodeThenMessageThenNul() {
        byte[] bytes = encoded(ErrorResponse.error(SqlState.SYNTAX_ERROR, "syntax error")::encode);

        assertThat(bytes).isEqualTo(concat(hex("45 00 00 00 28"), ascii("SERROR\0VERROR\0C42601\0Msyntax error\0\0")));
    }

    @Test
    void fatalWithDetailAddsTheDetailField() {
        ErrorResponse fatal = ErrorResponse.fatal(SqlState.CANNOT_CONNECT_NOW, "all backend nodes are down",
                "pgpool is not accepting any new connections");
        byte[] bytes = encoded(fatal::encode);

        assertThat(bytes).isEqualTo(concat(hex("45 00 00 00 63"), ascii("SFATAL\0VFATAL\0C57P03\0"
                + "Mall backend nodes are down\0Dpgpool is not accepting any new connections\0\0")));
        assertThat(fatal.isFatal()).isTrue();
        assertThat(fatal.toString())
                .isEqualTo("FATAL:  all backend nodes are down\nDETAIL:  pgpool is not accepting any new connections");
    }

    @Test
    void noticeUsesTagN() {
        ErrorResponse notice = ErrorResponse.notice(SqlState.SUCCESSFUL_COMPLETION, "there is no transaction in progress");
        byte[] bytes = encoded(notice::encode);

        assertThat(bytes[0]).isEqualTo(BackendTag.NOTICE_RESPONSE);
        ErrorResponse decoded = ErrorResponse.decode(frame(bytes));
        assertThat(decoded).isEqualTo(notice);
        assertThat(decoded.isError()).isFalse();
        assertThat(decoded.toString()).isEqualTo("NOTICE:  there is no transaction in progress");
    }

    @Test
    void serversErrorWithAllItsFieldsRoundTrips() {
        // shaped like what PostgreSQL sends for SELECT * FROM missing: position, file, line and routine too
        byte[] bytes = concat(hex("45 00 00 00 6a"), ascii("SERROR\0VERROR\0C42P01\0"
                + "Mrelation \"missing\" does not exist\0P15\0Fparse_relation.c\0L1392\0RparserOpenTable\0\0"));

        ErrorResponse error = ErrorResponse.decode(frame(bytes));

        assertThat(error.isError()).isTrue();
        assertThat(error.isFatal()).isFalse();
        assertThat(error.sqlState()).isEqualTo("42P01");
        assertThat(error.message()).isEqualTo("relation \"missing\" does not exist");
        assertThat(error.detail()).isNull();
        assertThat(error.fields()).containsEntry('P', "15").containsEntry('R', "parserOpenTable").hasSize(8);
        assertThat(ErrorResponse.sqlState(frame(bytes))).isEqualTo("42P01");
        assertThat(encoded(error::encode)).isEqualTo(bytes);
    }

    @Test
    void severityFallsBackToTheLocalizedFieldOfOldServers() {
        ErrorResponse error = new ErrorResponse(BackendTag.ERROR_RESPONSE, Map.of('S', "PANIC", 'M', "boom"));

        assertThat(error.severity()).isEqualTo("PANIC");
        assertThat(error.isFatal()).isTrue();
        assertThat(error.sqlState()).isEmpty();
    }

    @Test
    void errorWithoutAMessageIsAProtocolViolation() {
        byte[] bytes = concat(hex("45 00 00 00 13"), ascii("SERROR\0C42601\0\0"));

        assertThatThrownBy(() -> ErrorResponse.decode(frame(bytes)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid error message: no message field");
    }
}
