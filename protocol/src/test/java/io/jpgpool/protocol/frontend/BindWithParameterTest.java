package io.jpgpool.protocol.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A Bind gets one more text parameter; what was there keeps its meaning. */
class BindWithParameterTest {
    private static final String CLOCK = "2026-12-02 10:00:00+00";

    @Test
    void allTextParametersGetOneMore() {
        Decoded d = decode(Bind.withTextParameter(bind(new short[0], "1", "x"), CLOCK, Unpooled.buffer()));
        assertThat(d.portal).isEqualTo("p");
        assertThat(d.statement).isEqualTo("s");
        assertThat(d.formats).isEmpty();
        assertThat(d.values).containsExactly("1", "x", CLOCK);
        assertThat(d.resultFormats).containsExactly((short) 1);
    }

    @Test
    void oneBinaryCodeForAllBecomesOneCodeEachAndTextForTheNewOne() {
        Decoded d = decode(Bind.withTextParameter(bind(new short[] {1}, "a", "b"), CLOCK, Unpooled.buffer()));
        assertThat(d.formats).containsExactly((short) 1, (short) 1, (short) 0);
        assertThat(d.values).containsExactly("a", "b", CLOCK);
    }

    @Test
    void codesForEachParameterGetATextOne() {
        Decoded d = decode(Bind.withTextParameter(bind(new short[] {0, 1}, "a", null), CLOCK, Unpooled.buffer()));
        assertThat(d.formats).containsExactly((short) 0, (short) 1, (short) 0);
        assertThat(d.values).containsExactly("a", null, CLOCK);
    }

    @Test
    void aBindWithoutParametersGetsOne() {
        Decoded d = decode(Bind.withTextParameter(bind(new short[0]), CLOCK, Unpooled.buffer()));
        assertThat(d.values).containsExactly(CLOCK);
    }

    private static ByteBuf bind(short[] formats, String... values) {
        ByteBuf out = Unpooled.buffer();
        int len = PgBuffers.beginMessage(out, FrontendTag.BIND);
        PgBuffers.writeCString(out, "p");
        PgBuffers.writeCString(out, "s");
        out.writeShort(formats.length);
        for (short f : formats) {
            out.writeShort(f);
        }
        out.writeShort(values.length);
        for (String v : values) {
            if (v == null) {
                out.writeInt(-1);
            } else {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length).writeBytes(b);
            }
        }
        out.writeShort(1).writeShort(1);
        PgBuffers.endMessage(out, len);
        return out;
    }

    private record Decoded(String portal, String statement, java.util.List<Short> formats,
            java.util.List<String> values, java.util.List<Short> resultFormats) {
    }

    private static Decoded decode(ByteBuf f) {
        assertThat(f.readByte()).isEqualTo((byte) 'B');
        assertThat(f.readInt()).isEqualTo(f.readableBytes() + 4);
        String portal = PgBuffers.readCString(f);
        String statement = PgBuffers.readCString(f);
        java.util.List<Short> formats = new java.util.ArrayList<>();
        for (int n = f.readUnsignedShort(); n > 0; n--) {
            formats.add(f.readShort());
        }
        java.util.List<String> values = new java.util.ArrayList<>();
        for (int n = f.readUnsignedShort(); n > 0; n--) {
            int len = f.readInt();
            values.add(len < 0 ? null : f.readCharSequence(len, StandardCharsets.UTF_8).toString());
        }
        java.util.List<Short> results = new java.util.ArrayList<>();
        for (int n = f.readUnsignedShort(); n > 0; n--) {
            results.add(f.readShort());
        }
        assertThat(f.isReadable()).isFalse();
        return new Decoded(portal, statement, formats, values, results);
    }
}
