package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random pool_hba.conf text never produces anything but a ConfigException or rules that can be matched. */
class PoolHbaFuzzTest {
    static final String[] WORDS = {"local", "host", "hostssl", "hostnossl", "hots", "all", "sameuser", "samerole",
            "\"all\"", "app", "a,b", "+grp", "@inc", "@", "\"@x\"", "127.0.0.1/32", "::1/128", "10.0.0.0",
            "255.0.0.0", "ffff::", "1.2.3.4/99", "samehost", "samenet", "db.example", ".example", "trust", "reject",
            "md5", "scram-sha-256", "password", "cert", "pam", "ldap", "x=y", "ldapport=1", "#", "\"", "\"\"", ",",
            "\"a b\"", "::", "1.2.3", "0.0.0.0/0", "\t", "\u00e9"};
    static final String ALPHABET = "ahlost ,\"#@/.:0123456789\t\r=+";

    @Test
    void randomTextEitherParsesOrFailsWithALocatedConfigException() {
        Random random = new Random(20250116L);
        PoolHbaTest.FakeLookup dns = new PoolHbaTest.FakeLookup(Map.of("127.0.0.1", "db.example"),
                Map.of("db.example", List.of("127.0.0.1")),
                List.of(new HostLookup.Interface(PoolHbaTest.ip("10.1.1.1"), 8)));
        List<InetAddress> clients = List.of(PoolHbaTest.ip("127.0.0.1"), PoolHbaTest.ip("::1"),
                PoolHbaTest.ip("10.2.3.4"));
        int parsed = 0;
        for (int round = 0; round < 5000; round++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(4);
            for (int i = 0; i < lines; i++) {
                if (random.nextBoolean()) {
                    // a line that is mostly well formed, so the matcher gets exercised too
                    text.append(pick(random, "host", "hostssl", "hostnossl", "local")).append(' ')
                            .append(pick(random, "all", "app", "sameuser", "\"all\"", "a,app")).append(' ')
                            .append(pick(random, "all", "a", "+g,a", "\"a\"")).append(' ')
                            .append(pick(random, "127.0.0.1/32", "::1/128", "10.0.0.0 255.0.0.0", "samenet",
                                    "samehost", "db.example", "all", "")).append(' ')
                            .append(pick(random, "trust", "md5", "cert", "reject", "password", "scram-sha-256"))
                            .append('\n');
                    continue;
                }
                int words = random.nextInt(8);
                for (int w = 0; w < words; w++) {
                    if (random.nextInt(6) == 0) {
                        for (int c = random.nextInt(12); c > 0; c--) {
                            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                        }
                    } else {
                        text.append(WORDS[random.nextInt(WORDS.length)]);
                    }
                    text.append(random.nextInt(5) == 0 ? "," : " ");
                }
                text.append(random.nextBoolean() ? "\n" : "\r\n");
            }
            try {
                PoolHba h = PoolHba.parse("fuzz.conf", text.toString(), null, random.nextBoolean());
                parsed++;
                assertThat(h.lines()).isNotEmpty();
                for (InetAddress client : clients) {
                    HbaMatch m = h.match(HbaRequest.tcp(client, random.nextBoolean(), "app", "a"), dns);
                    assertThat(m.method()).isNotNull();
                    assertThat(m.rejectionDetail()).contains("user \"a\"");
                }
                assertThat(h.match(HbaRequest.local("app", "app"), dns).method()).isNotNull();
            } catch (ConfigException e) {
                assertThat(e.getMessage()).startsWith("fuzz.conf");
                assertThat(e.reason()).isNotBlank();
            }
        }
        assertThat(parsed).as("some random files are valid").isGreaterThan(500);
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
