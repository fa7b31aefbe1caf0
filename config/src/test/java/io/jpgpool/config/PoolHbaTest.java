package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pool_hba.conf as pgpool 4.3 reads and matches it (SEMANTICS §E.3, pool_hba.c). */
class PoolHbaTest {

    /** Resolves nothing unless told: no test asks real DNS. */
    static final class FakeLookup implements HostLookup {
        final Map<String, String> reverse;
        final Map<String, List<String>> forward;
        final List<Interface> interfaces;

        FakeLookup(Map<String, String> reverse, Map<String, List<String>> forward, List<Interface> interfaces) {
            this.reverse = reverse;
            this.forward = forward;
            this.interfaces = interfaces;
        }

        @Override
        public String reverse(InetAddress address) {
            return reverse.get(address.getHostAddress());
        }

        @Override
        public List<InetAddress> forward(String host) {
            return forward.getOrDefault(host, List.of()).stream().map(PoolHbaTest::ip).toList();
        }

        @Override
        public List<Interface> interfaces() {
            return interfaces;
        }
    }

    static final FakeLookup NO_DNS = new FakeLookup(Map.of(), Map.of(), List.of());

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PoolHba hba(String text) throws ConfigException {
        return PoolHba.parse("pool_hba.conf", text, null, true);
    }

    static HbaMatch tcp(PoolHba hba, String address, boolean ssl, String db, String user) {
        return hba.match(HbaRequest.tcp(ip(address), ssl, db, user), NO_DNS);
    }

    static ConfigException error(String text) {
        try {
            hba(text);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no error for: " + text);
    }

    @Test
    void theFirstMatchingLineWinsAndThereIsNoFallThrough() throws Exception {
        PoolHba h = hba("""
                # TYPE  DATABASE  USER   ADDRESS        METHOD
                host    all       alice  10.0.0.0/8     reject
                host    all       all    10.0.0.0/8     md5
                local   all       all                   trust
                """);
        assertThat(tcp(h, "10.1.2.3", false, "app", "alice").rejected()).isTrue();
        HbaMatch bob = tcp(h, "10.1.2.3", false, "app", "bob");
        assertThat(bob.method()).isEqualTo(HbaMethod.MD5);
        assertThat(bob.line().orElseThrow().line()).isEqualTo(3);
        assertThat(h.match(HbaRequest.local("app", "alice"), NO_DNS).method()).isEqualTo(HbaMethod.TRUST);
    }

    @Test
    void noMatchingLineIsARejectionWithPgpoolsDetail() throws Exception {
        PoolHba h = hba("host all all 127.0.0.1/32 trust\n");
        HbaMatch m = tcp(h, "192.168.1.9", true, "app", "bob");
        assertThat(m.rejected()).isTrue();
        assertThat(m.line()).isEmpty();
        assertThat(m.rejectionDetail())
                .isEqualTo("no pool_hba.conf entry for host \"192.168.1.9\", user \"bob\", database \"app\", SSL on");
        assertThat(h.match(HbaRequest.local("db", "u"), NO_DNS).rejectionDetail())
                .isEqualTo("no pool_hba.conf entry for host \"[local]\", user \"u\", database \"db\", SSL off");
        assertThat(HbaMatch.REJECT_MESSAGE).isEqualTo("client authentication failed");
    }

    @Test
    void connectionTypesTestUnixSocketsAndTlsOfTheClient() throws Exception {
        PoolHba h = hba("""
                hostssl   all all 0.0.0.0/0 cert
                hostnossl all all 0.0.0.0/0 md5
                """);
        assertThat(tcp(h, "1.2.3.4", true, "d", "u").method()).isEqualTo(HbaMethod.CERT);
        assertThat(tcp(h, "1.2.3.4", false, "d", "u").method()).isEqualTo(HbaMethod.MD5);
        assertThat(h.match(HbaRequest.local("d", "u"), NO_DNS).rejected()).isTrue();
        assertThat(hba("local all all trust").match(HbaRequest.tcp(ip("127.0.0.1"), false, "d", "u"), NO_DNS)
                .rejected()).isTrue();
    }

    @Test
    void databaseAndUserKeywordsListsAndQuotes() throws Exception {
        PoolHba h = hba("""
                host "all"           "all"            all trust
                host sameuser        all              all reject
                host app,"My DB"     alice,"Bob Two"  all md5
                host "a""b"          all              all password
                host samerole        all              all scram-sha-256
                host all             +admins,carol    all cert
                """);
        assertThat(tcp(h, "::1", false, "alice", "alice").method()).isEqualTo(HbaMethod.REJECT);
        assertThat(tcp(h, "::1", false, "all", "all").method()).isEqualTo(HbaMethod.TRUST);
        assertThat(tcp(h, "::1", false, "other", "all").rejected()).isTrue(); // quoted "all" is a name
        assertThat(tcp(h, "::1", false, "My DB", "Bob Two").method()).isEqualTo(HbaMethod.MD5);
        assertThat(tcp(h, "::1", false, "app", "bob two").rejected()).isTrue(); // names are case-sensitive
        assertThat(tcp(h, "::1", false, "a\"b", "x").method()).isEqualTo(HbaMethod.PASSWORD);
        // samerole never matches, and a +group ends the user list unmatched, as in pgpool
        assertThat(tcp(h, "::1", false, "z", "carol").rejected()).isTrue();
        assertThat(h.warnings()).extracting(ConfigWarning::line).containsExactly(5, 6);
    }

    @Test
    void ipv4AndIpv6NetworksWithCidrOrSeparateMasks() throws Exception {
        PoolHba h = hba("""
                host all a 192.168.10.77/24          trust
                host all b 10.0.0.0 255.255.0.0      trust
                host all c 2001:db8::/32             trust
                host all d ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff trust
                host all e 0.0.0.0/0                 trust
                """);
        assertThat(tcp(h, "192.168.10.1", false, "x", "a").method()).isEqualTo(HbaMethod.TRUST);
        assertThat(tcp(h, "192.168.11.1", false, "x", "a").rejected()).isTrue();
        assertThat(tcp(h, "10.0.255.1", false, "x", "b").method()).isEqualTo(HbaMethod.TRUST);
        assertThat(tcp(h, "10.1.0.1", false, "x", "b").rejected()).isTrue();
        assertThat(tcp(h, "2001:db8:1::5", false, "x", "c").method()).isEqualTo(HbaMethod.TRUST);
        assertThat(tcp(h, "2001:db9::5", false, "x", "c").rejected()).isTrue();
        assertThat(tcp(h, "::1", false, "x", "d").method()).isEqualTo(HbaMethod.TRUST);
        // families never mix: 0.0.0.0/0 is every IPv4 address and no IPv6 one
        assertThat(tcp(h, "::2", false, "x", "e").rejected()).isTrue();
        assertThat(tcp(h, "127.0.0.1", false, "x", "e").method()).isEqualTo(HbaMethod.TRUST);
    }

    @Test
    void anIpv4ClientOnADualStackSocketMatchesIpv4Lines() throws Exception {
        PoolHba h = hba("host all all 127.0.0.1/32 trust");
        InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}, null);
        assertThat(h.match(HbaRequest.tcp(mapped, false, "d", "u"), NO_DNS).method()).isEqualTo(HbaMethod.TRUST);
    }

    @Test
    void hostNamesNeedAReverseLookupThatResolvesBack() throws Exception {
        PoolHba h = hba("""
                host all all db1.example.com trust
                host all all .corp.example   md5
                """);
        assertThat(h.needsDns()).isTrue();
        FakeLookup dns = new FakeLookup(
                Map.of("10.0.0.1", "DB1.example.com", "10.0.0.2", "app.corp.example", "10.0.0.3", "evil.corp.example"),
                Map.of("DB1.example.com", List.of("10.0.0.1"), "app.corp.example", List.of("10.0.0.2"),
                        "evil.corp.example", List.of("10.9.9.9")),
                List.of());
        assertThat(h.match(HbaRequest.tcp(ip("10.0.0.1"), false, "d", "u"), dns).method()).isEqualTo(HbaMethod.TRUST);
        assertThat(h.match(HbaRequest.tcp(ip("10.0.0.2"), false, "d", "u"), dns).method()).isEqualTo(HbaMethod.MD5);
        // the name does not resolve back to the client: no match
        assertThat(h.match(HbaRequest.tcp(ip("10.0.0.3"), false, "d", "u"), dns).rejected()).isTrue();
        assertThat(h.match(HbaRequest.tcp(ip("10.0.0.4"), false, "d", "u"), dns).rejected()).isTrue();
    }

    @Test
    void sameHostAndSameNetUseTheLocalInterfaces() throws Exception {
        PoolHba h = hba("""
                host all a samehost trust
                host all b samenet  trust
                host all c all      trust
                """);
        FakeLookup here = new FakeLookup(Map.of(), Map.of(),
                List.of(new HostLookup.Interface(ip("192.168.5.10"), 24)));
        assertThat(h.match(HbaRequest.tcp(ip("192.168.5.10"), false, "d", "a"), here).rejected()).isFalse();
        assertThat(h.match(HbaRequest.tcp(ip("192.168.5.11"), false, "d", "a"), here).rejected()).isTrue();
        assertThat(h.match(HbaRequest.tcp(ip("192.168.5.99"), false, "d", "b"), here).rejected()).isFalse();
        assertThat(h.match(HbaRequest.tcp(ip("192.168.6.1"), false, "d", "b"), here).rejected()).isTrue();
        assertThat(h.match(HbaRequest.tcp(ip("8.8.8.8"), false, "d", "c"), here).rejected()).isFalse();
    }

    @Test
    void atFileIncludesAddNamesRelativeToTheIncludingFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("users.txt"), "alice, bob\n# comment\ncarol @more.txt\n");
        Files.writeString(dir.resolve("more.txt"), "dave\n");
        Files.writeString(dir.resolve("pool_hba.conf"), "host app @users.txt,erin 0.0.0.0/0 md5\n");
        PoolHba h = PoolHba.load(dir.resolve("pool_hba.conf"), false);
        assertThat(h.lines().get(0).users()).extracting(HbaToken::text)
                .containsExactly("alice", "bob", "carol", "dave", "erin");
        assertThat(tcp(h, "1.1.1.1", false, "app", "dave").method()).isEqualTo(HbaMethod.MD5);
        // "@x" in quotes is a name, not an include
        assertThat(hba("host all \"@users.txt\" all trust").lines().get(0).users().get(0).text())
                .isEqualTo("@users.txt");
    }

    @Test
    void aMissingIncludeOrAnIncludeLoopIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("loop.txt"), "@loop.txt\n");
        Files.writeString(dir.resolve("pool_hba.conf"), "host all @nope.txt all md5\nhost all @loop.txt all md5\n");
        assertThatThrownBy(() -> PoolHba.load(dir.resolve("pool_hba.conf"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pool_hba.conf:1: could not open secondary authentication file \"@nope.txt\"");
        Files.writeString(dir.resolve("pool_hba.conf"), "host all @loop.txt all md5\n");
        assertThatThrownBy(() -> PoolHba.load(dir.resolve("pool_hba.conf"), false))
                .hasMessageContaining("levels deep");
    }

    @Test
    void errorsNameTheFileAndLineInPgpoolsWords() {
        assertThat(error("\n\nhots all all all trust").getMessage())
                .isEqualTo("pool_hba.conf:3: invalid connection type \"hots\"");
        assertThat(error("host,local all all all trust").reason()).isEqualTo("multiple values specified for connection type");
        assertThat(error("host").reason()).isEqualTo("end-of-line before database specification");
        assertThat(error("host all").reason()).isEqualTo("end-of-line before role specification");
        assertThat(error("host all all").reason()).isEqualTo("end-of-line before IP address specification");
        assertThat(error("host all all 1.2.3.4/24").reason()).isEqualTo("end-of-line before authentication method");
        assertThat(error("host all all 1.2.3.4 trust").reason()).isEqualTo("invalid IP mask \"trust\": Name or service not known");
        assertThat(error("host all all 1.2.3.4").reason()).startsWith("end-of-line before netmask specification");
        assertThat(error("host all all 1.2.3.4/33 trust").reason()).isEqualTo("invalid CIDR mask in address \"1.2.3.4/33\"");
        assertThat(error("host all all ::1/129 trust").reason()).isEqualTo("invalid CIDR mask in address \"::1/129\"");
        assertThat(error("host all all 1.2.3.4 ffff:: trust").reason()).isEqualTo("IP address and mask do not match");
        assertThat(error("host all all 1.2.3.999/8 trust").reason()).isEqualTo("invalid IP address \"1.2.3.999\"");
        assertThat(error("host all all ::g::/8 trust").reason()).isEqualTo("invalid IP address \"::g::\"");
        assertThat(error("host all all db.example/8 trust").reason())
                .isEqualTo("specifying both host name and CIDR mask is invalid: \"db.example/8\"");
        assertThat(error("host all all 1.2.3.4/8,5.6.7.8/8 trust").reason()).isEqualTo("multiple values specified for host address");
        assertThat(error("host all all all trust,md5").reason()).isEqualTo("multiple values specified for authentication type");
        assertThat(error("host all all all ident").reason()).isEqualTo("invalid authentication method \"ident\"");
        assertThat(error("local all all pam").getMessage())
                .isEqualTo("pool_hba.conf:1: invalid authentication method \"pam\": jpgpool does not support PAM authentication");
        assertThat(error("local all all ldap ldapserver=x").reason())
                .isEqualTo("invalid authentication method \"ldap\": jpgpool does not support LDAP authentication");
        assertThat(error("local all all md5 ldapserver=x").reason())
                .isEqualTo("authentication option \"ldapserver\" is only valid for authentication methods ldap");
        assertThat(error("local all all md5 clientcert=1").reason()).isEqualTo("unrecognized authentication option name: \"clientcert\"");
        assertThat(error("local all all md5 foo").reason()).isEqualTo("authentication option not in name=value format: foo");
        assertThat(error("local all " + "u".repeat(300) + " md5").reason()).startsWith("authentication file token too long");
        assertThat(error("# nothing\n\n   \n").getMessage()).isEqualTo("pool_hba.conf: configuration file \"pool_hba.conf\" contains no entries");
    }

    @Test
    void hostsslWithSslOffIsKeptButWarnedAbout() throws Exception {
        PoolHba h = PoolHba.parse("f", "hostssl all all all cert\n", null, false);
        assertThat(h.lines()).hasSize(1);
        assertThat(h.warnings()).singleElement().hasToString(
                "f:1: hostssl record cannot match because SSL is disabled (set ssl = on in pgpool.conf)");
    }

    @Test
    void commentsBlanksCommasAndCarriageReturns() throws Exception {
        PoolHba h = hba("host\tall\t all   127.0.0.1/32 trust # a comment\r\n#host all all all reject\r\nlocal a,,b c md5\n");
        assertThat(h.lines()).hasSize(2);
        assertThat(h.lines().get(1).databases()).extracting(HbaToken::text).containsExactly("a", "b");
        assertThat(h.lines().get(1).line()).isEqualTo(3);
    }

    @Test
    void aReloadThatFailsLeavesTheOldRulesUsable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool_hba.conf");
        Files.writeString(file, "host all all all trust\n");
        PoolHba current = PoolHba.load(file, false);
        Files.writeString(file, "host all all all trust\nhost all all all bogus\n");
        try {
            current = PoolHba.load(file, false);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isEqualTo(file + ":2: invalid authentication method \"bogus\"");
        }
        assertThat(current.lines()).hasSize(1);
        assertThat(tcp(current, "1.2.3.4", false, "d", "u").method()).isEqualTo(HbaMethod.TRUST);
    }
}
