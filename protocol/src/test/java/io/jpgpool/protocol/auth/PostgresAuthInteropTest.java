package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our mechanisms against a real PostgreSQL, over a raw socket: StartupMessage, AuthenticationSASL,
 * SASLInitialResponse, ... , AuthenticationOk. Skipped when no PostgreSQL binaries are installed.
 */
class PostgresAuthInteropTest {
    private static ThrowawayPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        Optional<Path> bin = ThrowawayPostgres.findBinaries();
        assumeTrue(bin.isPresent(), "no PostgreSQL binaries (set PG_BIN to run this test)");
        pg = ThrowawayPostgres.start(bin.get());
        try (Connection c = pg.connectAsSuperuser(); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE alice LOGIN PASSWORD 's3cret'");
            s.execute("CREATE ROLE bob LOGIN PASSWORD 's3cret'"); // same password, its own salt
            s.execute("CREATE ROLE roman LOGIN PASSWORD '\u2168'");
            s.execute("SET password_encryption = 'md5'");
            s.execute("CREATE ROLE md5user LOGIN PASSWORD 'md5pw'");
        }
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void scramLoginWithThePassword() throws Exception {
        assertThat(scramLogin("alice", ScramClient.forPassword("s3cret"))).isEqualTo("ok");
    }

    @Test
    void scramLoginWithAWrongPasswordIsRefusedByTheServer() throws Exception {
        assertThat(scramLogin("alice", ScramClient.forPassword("guess"))).isEqualTo("28P01");
    }

    @Test
    void saslPrepMatchesTheServers() throws Exception {
        assertThat(scramLogin("roman", ScramClient.forPassword("\u2168"))).isEqualTo("ok");
        assertThat(scramLogin("roman", ScramClient.forPassword("IX"))).isEqualTo("ok");
    }

    @Test
    void secretsWeDeriveAreTheOnesTheServerStored() throws Exception {
        for (String[] userAndPassword : new String[][] {{"alice", "s3cret"}, {"bob", "s3cret"}, {"roman", "\u2168"}}) {
            ScramSecret stored = ScramSecret.parse(rolpassword(userAndPassword[0]));

            assertThat(ScramSecret.fromPassword(userAndPassword[1], stored.salt(), stored.iterations()))
                    .isEqualTo(stored);
        }
        assertThat(rolpassword("md5user")).isEqualTo(Md5Auth.encrypt("md5user", "md5pw"));
    }

    @Test
    void passThroughLogsInWithTheClientKeyRecoveredFromAClient() throws Exception {
        // given: jpgpool holds alice's secret (as pool_passwd would) and authenticates her client with it
        ScramSecret secret = ScramSecret.parse(rolpassword("alice"));
        ScramServer front = ScramServer.forSecret(secret);
        ScramClient aliceApp = ScramClient.forPassword("s3cret");
        ScramServer.Result result = front.handleClientFinal(
                aliceApp.handleServerFirst(front.handleClientFirst(aliceApp.clientFirst())));
        byte[] clientKey = ((ScramServer.Result.Success) result).clientKey();

        // when / then: jpgpool logs into the backend as alice without knowing her password
        assertThat(scramLogin("alice", ScramClient.forClientKey(clientKey, secret))).isEqualTo("ok");
    }

    @Test
    void passThroughToABackendWithAnotherSaltStopsWithAClearError() throws Exception {
        ScramSecret alices = ScramSecret.parse(rolpassword("alice"));
        ScramServer front = ScramServer.forSecret(alices);
        ScramClient app = ScramClient.forPassword("s3cret");
        byte[] clientKey = ((ScramServer.Result.Success) front.handleClientFinal(
                app.handleServerFirst(front.handleClientFirst(app.clientFirst())))).clientKey();

        // bob has the same password, but PostgreSQL gave his secret its own salt
        assertThatThrownBy(() -> scramLogin("bob", ScramClient.forClientKey(clientKey, alices)))
                .isInstanceOf(ScramException.class)
                .hasMessage("cannot pass SCRAM authentication through to the backend");
    }

    @Test
    void md5LoginFromTheStoredHash() throws Exception {
        try (Wire wire = new Wire(pg.port())) {
            wire.startup("md5user");
            Message auth = wire.expect('R');
            assertThat(auth.int32(0)).isEqualTo(5); // AuthenticationMD5Password
            byte[] salt = auth.bytes(4, 4);

            wire.password(Md5Auth.saltedResponse(Md5Auth.encrypt("md5user", "md5pw"), salt));

            assertThat(wire.finishLogin()).isEqualTo("ok");
        }
    }

    /** A whole SCRAM login; "ok" after AuthenticationOk and ReadyForQuery, or the SQLSTATE the server sent. */
    private static String scramLogin(String user, ScramClient client) throws IOException {
        try (Wire wire = new Wire(pg.port())) {
            wire.startup(user);
            Message sasl = wire.expect('R');
            assertThat(sasl.int32(0)).isEqualTo(10); // AuthenticationSASL
            assertThat(sasl.cStrings(4)).contains(ScramClient.MECHANISM);

            wire.saslInitialResponse(ScramClient.MECHANISM, client.clientFirst());
            Message serverFirst = wire.expect('R');
            assertThat(serverFirst.int32(0)).isEqualTo(11); // AuthenticationSASLContinue
            wire.saslResponse(client.handleServerFirst(serverFirst.bytes(4, serverFirst.body.length - 4)));

            Message next = wire.read();
            if (next.type == 'E') {
                return next.errorField('C');
            }
            assertThat(next.type).isEqualTo('R');
            assertThat(next.int32(0)).isEqualTo(12); // AuthenticationSASLFinal
            client.handleServerFinal(next.bytes(4, next.body.length - 4));
            assertThat(client.isComplete()).isTrue();
            return wire.finishLogin();
        }
    }

    private static String rolpassword(String user) throws Exception {
        try (Connection c = pg.connectAsSuperuser();
                PreparedStatement s = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private record Message(char type, byte[] body) {
        int int32(int at) {
            return ByteBuffer.wrap(body, at, 4).getInt();
        }

        byte[] bytes(int at, int length) {
            byte[] b = new byte[length];
            System.arraycopy(body, at, b, 0, length);
            return b;
        }

        List<String> cStrings(int at) {
            List<String> strings = new ArrayList<>();
            int start = at;
            for (int i = at; i < body.length; i++) {
                if (body[i] == 0) {
                    if (i > start) {
                        strings.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return strings;
        }

        /** One field of an ErrorResponse, e.g. 'C' for the SQLSTATE. */
        String errorField(char code) {
            for (String field : cStrings(0)) {
                if (field.charAt(0) == code) {
                    return field.substring(1);
                }
            }
            return null;
        }
    }

    /** Just enough of the v3 protocol to log in, written here so the test depends only on the auth package. */
    private static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        Wire(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
        }

        void startup(String user) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(body);
            b.writeInt(196608); // protocol 3.0
            for (String s : new String[] {"user", user, "database", "postgres"}) {
                b.write(s.getBytes(StandardCharsets.UTF_8));
                b.write(0);
            }
            b.write(0);
            out.writeInt(body.size() + 4);
            body.writeTo(out);
            out.flush();
        }

        void saslInitialResponse(String mechanism, byte[] data) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(body);
            b.write(mechanism.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
            b.writeInt(data.length);
            b.write(data);
            send('p', body.toByteArray());
        }

        void saslResponse(byte[] data) throws IOException {
            send('p', data);
        }

        void password(String password) throws IOException {
            byte[] text = password.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[text.length + 1];
            System.arraycopy(text, 0, body, 0, text.length);
            send('p', body);
        }

        /** After the method's own messages: AuthenticationOk, then everything up to ReadyForQuery. */
        String finishLogin() throws IOException {
            Message m = read();
            if (m.type == 'E') {
                return m.errorField('C');
            }
            assertThat(m.type).isEqualTo('R');
            assertThat(m.int32(0)).isZero(); // AuthenticationOk
            while ((m = read()).type != 'Z') {
                if (m.type == 'E') {
                    return m.errorField('C');
                }
            }
            return "ok";
        }

        Message expect(char type) throws IOException {
            Message m = read();
            if (m.type != type) {
                throw new AssertionError("expected '" + type + "' but got '" + m.type + "'"
                        + (m.type == 'E' ? ": " + m.errorField('M') : ""));
            }
            return m;
        }

        Message read() throws IOException {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            return new Message(type, body);
        }

        private void send(char type, byte[] body) throws IOException {
            out.writeByte(type);
            out.writeInt(body.length + 4);
            out.write(body);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                out.writeByte('X');
                out.writeInt(4);
                out.flush();
            } catch (IOException ignored) {
                // the server may have closed already (after an error)
            }
            socket.close();
        }
    }
}
