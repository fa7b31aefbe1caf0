package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Md5AuthTest {
    private static final byte[] SALT = {0x01, 0x02, 0x03, 0x04};

    @Test
    void storedHashIsMd5OfPasswordThenUser() {
        assertThat(Md5Auth.encrypt("postgres", "postgres")).isEqualTo("md53175bce1d3201d16594cebf9d7eb3f9d");
        // non-ASCII is hashed as UTF-8, as a UTF-8 PostgreSQL does
        assertThat(Md5Auth.encrypt("jürgen", "pässword")).isEqualTo("md5aec2521b86bc3632d58e5239e0d1c2a3");
    }

    @Test
    void clientAnswersTheSaltWithTheHexOfTheStoredHash() {
        assertThat(Md5Auth.saltedResponse("md53175bce1d3201d16594cebf9d7eb3f9d", SALT))
                .isEqualTo("md568be9ed08db75f318087ab337aaea044");
        byte[] deadbeef = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef};
        assertThat(Md5Auth.saltedResponse("md5aec2521b86bc3632d58e5239e0d1c2a3", deadbeef))
                .isEqualTo("md5786af78351fa01e3f1219f5ebb7e7316");
    }

    @Test
    void verifyAcceptsOnlyTheRightAnswerToThisSalt() {
        String stored = Md5Auth.encrypt("alice", "secret");
        String answer = Md5Auth.saltedResponse(stored, SALT);

        assertThat(Md5Auth.verify(stored, SALT, answer)).isTrue();
        assertThat(Md5Auth.verify(stored, new byte[] {9, 9, 9, 9}, answer)).isFalse();
        assertThat(Md5Auth.verify(Md5Auth.encrypt("alice", "guess"), SALT, answer)).isFalse();
        assertThat(Md5Auth.verify(stored, SALT, "secret")).isFalse();
        assertThat(Md5Auth.verify(stored, SALT, "")).isFalse();
        assertThat(Md5Auth.verify(stored, SALT, null)).isFalse();
    }

    @Test
    void recognisesStoredMd5HashesLikePostgresql() {
        assertThat(Md5Auth.isMd5Hash("md53175bce1d3201d16594cebf9d7eb3f9d")).isTrue();
        assertThat(Md5Auth.isMd5Hash("md53175BCE1d3201d16594cebf9d7eb3f9d")).isFalse();
        assertThat(Md5Auth.isMd5Hash("md53175bce1d3201d16594cebf9d7eb3f9")).isFalse();
        assertThat(Md5Auth.isMd5Hash("SCRAM-SHA-256$4096:abc$def:ghi")).isFalse();
        assertThat(Md5Auth.isMd5Hash(null)).isFalse();
    }

    @Test
    void refusesABadStoredHashOrSaltWithoutEchoingIt() {
        assertThatThrownBy(() -> Md5Auth.saltedResponse("plaintext-password", SALT))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("plaintext-password");
        assertThatThrownBy(() -> Md5Auth.saltedResponse("md53175bce1d3201d16594cebf9d7eb3f9d", new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saltsAreFourFreshBytes() {
        assertThat(Md5Auth.newSalt()).hasSize(4);
        assertThat(Md5Auth.newSalt()).isNotEqualTo(Md5Auth.newSalt());
    }
}
