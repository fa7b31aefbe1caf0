package io.jpgpool.pcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error packets: pgpool's layout, and texts the real clients can read (PCP_SPEC 4). */
class PcpErrorTest {
    @Test
    void theLayoutIsSeverityCodeMessageDetailFileLine() {
        byte[] b = PcpError.error("informing node info failed", "invalid node ID : 5", PgpoolSource.NODE_INFO)
                .toPacket().toBytes();
        assertThat(Bytes.latin1(b)).isEqualTo("E\0\0\0\u0057SERROR\0CXX000\0Minforming node info failed\0"
                + "Dinvalid node ID : 5\0Fpcp_worker.c\0L843\0\0");
    }

    @Test
    void aMessageStartingWithAFieldCodeLetterIsLowered() {
        assertThat(PcpError.readable("Something failed")).isEqualTo("something failed");
        assertThat(PcpError.readable("Detail")).isEqualTo("detail");
        assertThat(PcpError.readable("PCP: x")).isEqualTo("PCP: x");
    }

    @Test
    void belowErrorItIsANotice() {
        byte[] b = new PcpError("WARNING", "careful", null, "x.c", 1).toPacket().toBytes();
        assertThat((char) b[0]).isEqualTo('N');
    }

    @Test
    void cNumberParsing() {
        assertThat(Bytes.atoi("  42abc")).isEqualTo(42);
        assertThat(Bytes.atoi("-1")).isEqualTo(-1);
        assertThat(Bytes.atoi("abc")).isZero();
        assertThat(Bytes.atoi("+7")).isEqualTo(7);
        assertThat(Bytes.atol("180288")).isEqualTo(180288L);
        assertThat(Bytes.atof("536870911.750000")).isEqualTo(536870911.75);
        assertThat(Bytes.atof("1e3x")).isEqualTo(1000.0);
        assertThat(Bytes.atof("x")).isZero();
    }
}
