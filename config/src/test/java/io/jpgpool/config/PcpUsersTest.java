package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcpUsersTest {

    static final byte[] SALT = {(byte) 0xaa, (byte) 0xa6, 0x60, 0x67};

    @Test
    void workedExampleOfPcpSpec32() {
        PcpUsers users = PcpUsers.parse("pcpadmin:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
        assertThat(PcpUsers.clientResponse("pcpadmin", "secret", SALT)).isEqualTo("4b6ba0842c7ea8481e127c5cd73e4902");
        assertThat(users.authenticate("pcpadmin", "4b6ba0842c7ea8481e127c5cd73e4902", SALT)).isTrue();
        assertThat(users.authenticate("pcpadmin", "4B6BA0842C7EA8481E127C5CD73E4902", SALT)).isFalse();
        assertThat(users.authenticate("pcpadmin", "4b6ba0842c7ea8481e127c5cd73e4902", new byte[] {1, 2, 3, 4})).isFalse();
        assertThat(users.authenticate("other", "4b6ba0842c7ea8481e127c5cd73e4902", SALT)).isFalse();
    }

    @Test
    void quirksOfTheRealParser() {
        PcpUsers users = PcpUsers.parse("""
                # comment
                 # not a comment, and no colon so skipped
                no colon line

                spaced : 5ebe2294ecd0e0f08eab7690d2a6ee69
                crlf:5ebe2294ecd0e0f08eab7690d2a6ee69\r
                dup:00000000000000000000000000000000
                dup:5ebe2294ecd0e0f08eab7690d2a6ee69
                upper:5EBE2294ECD0E0F08EAB7690D2A6EE69
                #commented:5ebe2294ecd0e0f08eab7690d2a6ee69
                a:b:c
                """);
        assertThat(users.entries()).extracting(PcpUsers.Entry::user)
                .containsExactly("spaced ", "crlf", "dup", "dup", "upper", "a");
        assertThat(users.entries().get(0).md5hex()).isEqualTo(" 5ebe2294ecd0e0f08eab7690d2a6ee69");
        assertThat(users.entries().get(5).md5hex()).isEqualTo("b:c");
        // spaces and \r are part of the name/hash, so these logins fail as on the real server
        assertThat(users.authenticate("spaced", PcpUsers.clientResponse("spaced", "secret", SALT), SALT)).isFalse();
        assertThat(users.authenticate("crlf", PcpUsers.clientResponse("crlf", "secret", SALT), SALT)).isFalse();
        assertThat(users.authenticate("upper", PcpUsers.clientResponse("upper", "secret", SALT), SALT)).isFalse();
        // every line of a duplicated user is tried
        assertThat(users.authenticate("dup", PcpUsers.clientResponse("dup", "secret", SALT), SALT)).isTrue();
        assertThat(users.authenticate("#commented", PcpUsers.clientResponse("#commented", "secret", SALT), SALT))
                .isFalse();
    }

    @Test
    void missingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> PcpUsers.load(dir.resolve("pcp.conf")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("pcp.conf") + ": could not open " + dir.resolve("pcp.conf")
                        + ". reason: ");
    }
}
