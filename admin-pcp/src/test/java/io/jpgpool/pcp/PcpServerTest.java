package io.jpgpool.pcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PcpUsers;
import io.jpgpool.pcp.wire.Bytes;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PcpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Given a PCP server on TCP and a Unix socket: framing limits, bad clients, many clients, one socket. */
class PcpServerTest {
    @TempDir
    Path dir;
    FakeAdmin admin;
    PcpServer server;

    @BeforeEach
    void start() throws IOException {
        admin = new FakeAdmin();
        Path conf = dir.resolve("pcp.conf");
        Files.writeString(conf, "pcpadmin:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
        server = PcpServer.start(admin, new PcpServer.Settings("127.0.0.1", 0, dir.toString(), conf));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ framing, without sockets

    @Test
    void theDecoderSplitsFramesAndFlagsABadLength() {
        EmbeddedChannel ch = new EmbeddedChannel(new PcpFrameDecoder());
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(PcpPacket.of('M').toBytes());
        in.writeBytes(PcpPacket.of('I').cstring("-1").toBytes());
        in.writeBytes(new byte[] {'L', 0, 0, 1, 4, 1, 2, 3});
        ch.writeInbound(in);
        PcpFrame m = ch.readInbound();
        PcpFrame i = ch.readInbound();
        PcpFrame bad = ch.readInbound();
        assertThat(m.tagChar()).isEqualTo('M');
        assertThat(i.firstString()).isEqualTo("-1");
        assertThat(bad.length()).isEqualTo(260);
        ch.writeInbound(Unpooled.wrappedBuffer(PcpPacket.of('L').toBytes()));
        assertThat((Object) ch.readInbound()).as("nothing after a bad length is read").isNull();
    }

    @Test
    void theLargestAcceptedRequestIs259Bytes() {
        assertThat(PcpFrameDecoder.isValidLength(259)).isTrue();
        assertThat(PcpFrameDecoder.isValidLength(260)).isFalse();
        assertThat(PcpFrameDecoder.isValidLength(0)).isFalse();
        assertThat(PcpFrameDecoder.isValidLength(-5)).isFalse();
    }

    // ------------------------------------------------------------------ over sockets

    /** A raw connection that logs in with the md5 handshake. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Raw(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void login() throws IOException {
            send(PcpPacket.of('M').toBytes());
            PcpFrame salt = read();
            assertThat(salt.tagChar()).isEqualTo('m');
            send(PcpPacket.of('R').cstring("pcpadmin")
                    .cstring(PcpUsers.clientResponse("pcpadmin", "secret", salt.payload())).toBytes());
            assertThat(read().firstString()).isEqualTo("AuthenticationOK");
        }

        void send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        PcpFrame read() throws IOException {
            byte tag = in.readByte();
            int len = in.readInt();
            byte[] payload = new byte[len - 4];
            in.readFully(payload);
            return new PcpFrame(tag, len, payload);
        }

        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (EOFException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aPacketOf260BytesIsAFatalThenTheServerGoesOnAnsweringOthers() throws IOException {
        try (Raw bad = new Raw(server.port()); Raw good = new Raw(server.port())) {
            good.login();
            bad.login();
            ByteArrayOutputStream big = new ByteArrayOutputStream();
            big.write('I');
            big.writeBytes(new byte[] {0, 0, 1, 4});
            big.writeBytes(new byte[256]);
            bad.send(big.toByteArray());
            PcpFrame e = bad.read();
            assertThat(e.tagChar()).isEqualTo('E');
            assertThat(e.strings()).contains("SFATAL", "Minvalid PCP packet", "Dincorrect packet length (260)");
            assertThat(bad.closedByServer()).isTrue();

            good.send(PcpPacket.of('L').toBytes());
            assertThat(good.read().strings()).containsExactly("CommandComplete", "2");
        }
    }

    @Test
    void garbageIsAFatalAndTheConnectionCloses() throws IOException {
        try (Raw r = new Raw(server.port())) {
            r.send(Bytes.latin1("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            PcpFrame e = r.read();
            assertThat(e.tagChar()).isEqualTo('E');
            assertThat(e.strings()).contains("SFATAL", "Minvalid PCP packet");
            assertThat(r.closedByServer()).isTrue();
        }
        try (Raw r = new Raw(server.port())) {
            r.login();
        }
    }

    @Test
    void aCommandWithoutLoginIsRefused() throws IOException {
        try (Raw r = new Raw(server.port())) {
            r.send(PcpPacket.of('D').cstring("1").toBytes());
            assertThat(r.read().strings()).contains("Mauthentication failed for new PCP connection",
                    "Dconnection not authorized");
            assertThat(r.closedByServer()).isTrue();
        }
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void severalCommandsInARowOnOneConnectionAreAnsweredInOrder() throws IOException {
        try (Raw r = new Raw(server.port())) {
            r.login();
            ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
            pipelined.writeBytes(PcpPacket.of('L').toBytes());
            pipelined.writeBytes(PcpPacket.of('I').cstring("5").toBytes());
            pipelined.writeBytes(PcpPacket.of('C').cstring("1").toBytes());
            pipelined.writeBytes(PcpPacket.of('L').toBytes());
            r.send(pipelined.toByteArray());
            assertThat(r.read().tagChar()).isEqualTo('l');
            assertThat(r.read().tagChar()).isEqualTo('E');
            assertThat(r.read().tagChar()).isEqualTo('c');
            assertThat(r.read().tagChar()).isEqualTo('l');
            r.send(PcpPacket.of('X').toBytes());
            assertThat(r.closedByServer()).isTrue();
        }
        assertThat(admin.calls).containsExactly("attach 1");
    }

    @Test
    void aHundredClientsAtOnceAreAllAnswered() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Callable<List<String>> c = () -> {
                    try (Raw r = new Raw(server.port())) {
                        r.login();
                        r.send(PcpPacket.of('I').cstring("1").toBytes());
                        r.read();
                        return r.read().strings();
                    }
                };
                answers.add(pool.submit(c));
            }
            for (Future<List<String>> f : answers) {
                assertThat(f.get()).startsWith("NodeInfo", "127.0.0.1", "15433");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theUnixSocketIsNamedAfterThePortAndOpenToEveryone() throws IOException {
        Path socket = dir.resolve(".s.PGSQL." + server.port());
        assertThat(server.socketFiles()).containsExactly(socket);
        assertThat(Files.getPosixFilePermissions(socket)).contains(PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = Channels.newInputStream(ch);
            out.write(PcpPacket.of('M').toBytes());
            assertThat(in.readNBytes(9)[0]).isEqualTo((byte) 'm');
        }
        server.close();
        assertThat(socket).doesNotExist();
    }

    @Test
    void listenAddressesAreIpv4() throws IOException {
        assertThat(PcpServer.ipv4Addresses("*")).extracting(a -> a.getHostAddress()).containsExactly("0.0.0.0");
        assertThat(PcpServer.ipv4Addresses("localhost, 127.0.0.1")).extracting(a -> a.getHostAddress())
                .containsExactly("127.0.0.1");
        assertThat(PcpServer.ipv4Addresses("")).isEmpty();
    }
}
