package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PostgreSQL's pg_saslprep behaviour; ScramSecretTest checks the same cases against real pg_authid values. */
class SaslPrepTest {
    @Test
    void asciiIsUsedAsItIsEvenWithControlCharacters() {
        assertThat(prepare("pencil")).isEqualTo("pencil");
        assertThat(prepare("tab\there")).isEqualTo("tab\there");
        assertThat(prepare("")).isEmpty();
    }

    @Test
    void mapsAndNormalisesUnicode() {
        assertThat(prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(prepare("\u2168")).isEqualTo("IX");
        assertThat(prepare("a\u00A0b")).isEqualTo("a b");
        assertThat(prepare("\uFB01")).isEqualTo("fi"); // compatibility ligature
        assertThat(prepare("e\u0301")).isEqualTo("\u00e9"); // composed
    }

    @Test
    void fallsBackToTheRawBytesWherePostgresqlDoes() {
        assertThat(prepare("\u00AD")).isEqualTo("\u00AD"); // empty after mapping
        assertThat(prepare("\u00e4\u0007")).isEqualTo("\u00e4\u0007"); // prohibited control character
        assertThat(prepare("\u05D0a")).isEqualTo("\u05D0a"); // bidi: RTL and LTR mixed
        assertThat(prepare("\uE000x")).isEqualTo("\uE000x"); // private use
        assertThat(prepare("\u0221\u00e9")).isEqualTo("\u0221\u00e9"); // unassigned in Unicode 3.2

        byte[] notUtf8 = {(byte) 0xe4, 'x'};
        assertThat(SaslPrep.prepare(notUtf8)).isEqualTo(notUtf8);
    }

    @Test
    void rightToLeftAloneIsFine() {
        assertThat(prepare("\u05D0\u05D1")).isEqualTo("\u05D0\u05D1");
    }

    private static String prepare(String s) {
        return new String(SaslPrep.prepare(s), StandardCharsets.UTF_8);
    }
}
