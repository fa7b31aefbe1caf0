package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScramSecretTest {
    /**
     * pg_authid.rolpassword written by PostgreSQL 15.x for {@code SET password_encryption='scram-sha-256';
     * CREATE ROLE ... PASSWORD '...'} in a UTF8 database. The non-ASCII ones pin PostgreSQL's SASLprep: what it
     * normalises and where it falls back to the raw bytes.
     */
    static Stream<Arguments> secretsWrittenByPostgresql15() {
        return Stream.of(
                Arguments.of("p", "SCRAM-SHA-256$4096:LRQtCwWoUzujO8h28g8rXQ==$"
                        + "Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Kogjii8OGm/1YWFHe/1Ex0QYn9BKEv/U8pUnABoze4A="),
                Arguments.of("pencil", "SCRAM-SHA-256$4096:pRytw+FSLWF8ds2hoNv9EA==$"
                        + "4j5+e0YZUpE7T5B530u1JTII6wdWi+D9HiQlz43XbJs=:r3cgbICaVdujwS6BIHYZmLxP48fFFcp6UO3EHaENVLc="),
                // soft hyphen is mapped to nothing
                Arguments.of("I\u00ADX", "SCRAM-SHA-256$4096:nBmh0zCEFLfetGad786rsA==$"
                        + "MQhwURsgH3OCYGzkvHK9XJ6JK4kZRJXBnGbtAwiqMqs=:pUAxBYnUIN/UDhJ2D/EEhfFij91foz382GAX7k9D0Uo="),
                // ROMAN NUMERAL NINE becomes "IX" under NFKC
                Arguments.of("\u2168", "SCRAM-SHA-256$4096:1BVg4t3pMKmtUYzx6lB5VA==$"
                        + "JnoHHaxfux+SU96yGna01JoHJn5JrsdaFXHYdOz+xWM=:G/QK3Zfy1ZVSrmT4ZvztD5nlUGPMJBbzos5m2kcdMwM="),
                // no-break space becomes a space
                Arguments.of("a\u00A0b", "SCRAM-SHA-256$4096:7PHaC7AwnBSChoyTkcwJWA==$"
                        + "7AbqPcgSRENd7Z5gkZ+kOlzg5/ZIHklEQDz/XEC0ZIA=:6+vhNU4zddQXD0wte90GwOxWEdmuTN1gEZVH4PagPpM="),
                // a control character is prohibited: raw bytes
                Arguments.of("\u00e4\u0007", "SCRAM-SHA-256$4096:N1Ynko5JZI8EUt9v5BN8mA==$"
                        + "q/Ci40zOWb8aJZjeppMEcWFDJNAQdu4QjdoPrEoT5Io=:pSxfIZEG/WQXPsXgMw7r5EWLrTCqAuO+pYwNbj5i2Qw="),
                // empty after mapping: raw bytes (a strict SASLprep library would refuse it)
                Arguments.of("\u00AD", "SCRAM-SHA-256$4096:aXsC7552a3Kx/Kl4NzMfqQ==$"
                        + "SxYcaDxvLalvO0DqA2wVssQnKIJF0W+ZebPL7zxSBXE=:hcGPmwy2UsbY3YDQdWCH9iGxOODSnjp+cU7nicgyG3g="),
                // right-to-left mixed with left-to-right fails the bidi check: raw bytes
                Arguments.of("\u05D0a", "SCRAM-SHA-256$4096:bJi/Ott0TfV2bEt26iiG+g==$"
                        + "Px1+eTtCBDk+EULna7u7YQpf3/0V0Vnn6+GEkbMpLRM=:GrqlDg6nU0MDzPYLJc9AF3p3mOZOW1T+9mVFK0pAhlQ="));
    }

    @ParameterizedTest
    @MethodSource("secretsWrittenByPostgresql15")
    void derivesTheSameSecretAsPostgresql(String password, String written) {
        ScramSecret stored = ScramSecret.parse(written);

        ScramSecret ours = ScramSecret.fromPassword(password, stored.salt(), stored.iterations());

        assertThat(ours).isEqualTo(stored);
        assertThat(ours.format()).isEqualTo(written);
    }

    @Test
    void parsesPostgresqlsTextForm() {
        ScramSecret secret = ScramSecret.parse("SCRAM-SHA-256$4096:LRQtCwWoUzujO8h28g8rXQ==$"
                + "Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Kogjii8OGm/1YWFHe/1Ex0QYn9BKEv/U8pUnABoze4A=");

        assertThat(secret.iterations()).isEqualTo(4096);
        assertThat(secret.salt()).hasSize(16);
        assertThat(secret.storedKey()).hasSize(32);
        assertThat(secret.serverKey()).hasSize(32);
    }

    @Test
    void generatesLikeCreateRole() {
        ScramSecret a = ScramSecret.generate("pw");
        ScramSecret b = ScramSecret.generate("pw");

        assertThat(a.iterations()).isEqualTo(4096);
        assertThat(a.salt()).hasSize(16);
        assertThat(a).isNotEqualTo(b); // fresh salt each time
        assertThat(ScramSecret.parse(a.format())).isEqualTo(a).hasSameHashCodeAs(a);
    }

    @Test
    void passwordBytesThatAreNotUtf8AreHashedRaw() {
        byte[] latin1 = "pässword".getBytes(StandardCharsets.ISO_8859_1);
        byte[] salt = new byte[16];

        ScramSecret fromBytes = ScramSecret.fromPassword(latin1, salt, 4096);

        assertThat(fromBytes.storedKey()).isEqualTo(
                ScramCrypto.storedKey(ScramCrypto.clientKey(ScramCrypto.hi(latin1, salt, 4096))));
        assertThat(fromBytes).isNotEqualTo(ScramSecret.fromPassword("pässword", salt, 4096));
    }

    @Test
    void cannotBeChangedThroughItsArrays() {
        byte[] salt = {1, 2, 3};
        ScramSecret secret = ScramSecret.fromPassword("pw", salt, 10);
        salt[0] = 9;
        secret.salt()[1] = 9;
        secret.storedKey()[0] ^= 1;

        assertThat(secret.salt()).containsExactly(1, 2, 3);
        assertThat(secret).isEqualTo(ScramSecret.fromPassword("pw", new byte[] {1, 2, 3}, 10));
    }

    @Test
    void toStringHidesTheKeys() {
        ScramSecret secret = ScramSecret.generate("pw");

        assertThat(secret.toString())
                .contains("4096")
                .doesNotContain(ScramCrypto.base64(secret.storedKey()))
                .doesNotContain(ScramCrypto.base64(secret.serverKey()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "md53175bce1d3201d16594cebf9d7eb3f9d",
        "SCRAM-SHA-256$",
        "SCRAM-SHA-256$4096:c2FsdA==",
        "SCRAM-SHA-256$4096$a:b",
        "SCRAM-SHA-256$x:c2FsdA==$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$0:c2FsdA==$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$99999999999:c2FsdA==$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$4096:!!!$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$4096:$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
        "SCRAM-SHA-256$4096:c2FsdA==$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:x",
        "SCRAM-SHA-256$+4096:c2FsdA==$Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=:Pa22Sc0RTiqKSS48sEb5k552yYOYSEXvC5RuUasJQa4=",
    })
    void refusesWhatIsNotASecretWithoutEchoingIt(String text) {
        assertThat(ScramSecret.isScramSecret(text)).isEqualTo(text.startsWith("SCRAM-SHA-256$"));
        assertThatThrownBy(() -> ScramSecret.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid SCRAM secret")
                .message().doesNotContain("Pa22Sc0R");
    }
}
