package io.jpgpool.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.TestCertificates;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client connection's first bytes (SEMANTICS §E.6): SSLRequest answered S (and the handshake) or N,
 * GSSENCRequest N, anything else straight to the decoder; clear-text bytes after an SSLRequest end the connection.
 */
class SslNegotiatorTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates otherCa;
    static ServerTls tls;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCertificates.create(dir.resolve("ca"));
        otherCa = TestCertificates.create(dir.resolve("other"), "some other CA");
        tls = ServerTls.create(TlsTestSupport.server(certs, true));
    }

    /** What reaches the protocol decoder's place. */
    static final class Received extends ChannelInboundHandlerAdapter {
        final List<String> texts = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            texts.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
    }

    /** A client key manager that offers its one certificate whatever CAs the server names. */
    static final class AlwaysThisCertificate extends javax.net.ssl.X509ExtendedKeyManager {
        private final TestCertificates.Client client;

        AlwaysThisCertificate(TestCertificates.Client client) {
            this.client = client;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket s) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                javax.net.ssl.SSLEngine engine) {
            return "me";
        }

        @Override
        public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return new java.security.cert.X509Certificate[] {client.certificate()};
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return client.privateKey();
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket s) {
            return null;
        }
    }

    static ByteBuf sslRequest() {
        ByteBuf b = Unpooled.buffer();
        SSLRequest.INSTANCE.encode(b);
        return b;
    }

    static String answer(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void sslRequestIsAnsweredSAndTheHandshakeGivesTheSessionTheClientsCommonName() throws Exception {
        Received decoder = new Received();
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), decoder);
        server.writeInbound(sslRequest());
        assertThat(answer(server)).isEqualTo("S");
        assertThat(server.pipeline().get(SslNegotiator.class)).isNull();
        assertThat(server.pipeline().get(SslNegotiator.SSL_HANDLER_NAME)).isInstanceOf(SslHandler.class);

        TestCertificates.Client alice = certs.client("alice");
        SslContext clientCtx = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null).trustManager(certs.caCert().toFile())
                .keyManager(alice.cert().toFile(), alice.key().toFile()).build();
        EmbeddedChannel client = new EmbeddedChannel(clientCtx.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        TlsTestSupport.pump(client, server);
        assertThat(client.pipeline().get(SslHandler.class).handshakeFuture().isSuccess()).isTrue();
        assertThat(ClientTls.isTls(server)).isTrue();
        assertThat(ClientTls.peerCommonName(server)).contains("alice");
        assertThat(ClientTls.describe(server).orElseThrow()).startsWith("TLSv1.3 ");
        assertThat(ClientTls.certificateMatchesUser(ClientTls.peerCommonName(server), "ALICE")).isTrue();
        assertThat(ClientTls.certificateMatchesUser(ClientTls.peerCommonName(server), "bob")).isFalse();

        // the StartupMessage then arrives encrypted and reaches the decoder in clear
        client.writeOutbound(Unpooled.copiedBuffer("startup", StandardCharsets.US_ASCII));
        TlsTestSupport.pump(client, server);
        assertThat(decoder.texts).containsExactly("startup");
    }

    @Test
    void aClientWithoutCertificateConnectsButHasNoCommonName() throws Exception {
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), new Received());
        server.writeInbound(sslRequest());
        assertThat(answer(server)).isEqualTo("S");
        EmbeddedChannel client = new EmbeddedChannel(SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
                .trustManager(certs.caCert().toFile()).build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        TlsTestSupport.pump(client, server);
        assertThat(ClientTls.isTls(server)).isTrue();
        assertThat(ClientTls.peerCommonName(server)).isEmpty();
        assertThat(ClientTls.certificateMatchesUser(ClientTls.peerCommonName(server), "alice")).isFalse();
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), new Received());
        List<Throwable> errors = new ArrayList<>();
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
                ctx.close();
            }
        });
        server.writeInbound(sslRequest());
        assertThat(answer(server)).isEqualTo("S");
        TestCertificates.Client mallory = otherCa.client("alice");
        // like libpq, send the certificate even though the server names another CA
        EmbeddedChannel client = new EmbeddedChannel(SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
                .trustManager(certs.caCert().toFile()).keyManager(new AlwaysThisCertificate(mallory))
                .build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT), TlsTestSupport.closeOnError());
        TlsTestSupport.pump(client, server);
        assertThat(ClientTls.isTls(server)).isFalse();
        assertThat(errors).isNotEmpty();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void bytesSentWithTheSslRequestEndTheConnection() {
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), new Received());
        ByteBuf req = sslRequest().writeBytes("\u0016\u0003\u0001 injected".getBytes(StandardCharsets.ISO_8859_1));
        server.writeInbound(req);
        assertThat(answer(server)).isEqualTo("S");
        String fatal = answer(server);
        assertThat(fatal).startsWith("E").contains("SFATAL", "C08P01", "Mreceived unencrypted data after SSL request");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void withoutTlsTheAnswerIsNAndTheStartupPacketPassesThrough() {
        Received decoder = new Received();
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(ServerTls.disabled()), decoder);
        server.writeInbound(sslRequest());
        assertThat(answer(server)).isEqualTo("N");
        assertThat(server.pipeline().get(SslNegotiator.class)).isNull();
        server.writeInbound(Unpooled.copiedBuffer("\0\0\0\u0009xyzw!", StandardCharsets.ISO_8859_1));
        assertThat(decoder.texts).containsExactly("\0\0\0\u0009xyzw!");
    }

    @Test
    void gssEncryptionIsRefusedAndTheClientMayAskForTlsNext() {
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), new Received());
        ByteBuf gss = Unpooled.buffer().writeInt(8).writeInt(GSSENCRequest.CODE);
        server.writeInbound(gss);
        assertThat(answer(server)).isEqualTo("N");
        server.writeInbound(sslRequest());
        assertThat(answer(server)).isEqualTo("S");
    }

    @Test
    void aStartupPacketInPiecesAndATlsHelloToAPlainPortGoToTheDecoderWhole() {
        Received decoder = new Received();
        EmbeddedChannel server = new EmbeddedChannel(new SslNegotiator(tls), decoder);
        server.writeInbound(Unpooled.copiedBuffer("\0\0\0", StandardCharsets.ISO_8859_1));
        assertThat(decoder.texts).isEmpty();
        server.writeInbound(Unpooled.copiedBuffer("\u0010\0\u0003\0\0user", StandardCharsets.ISO_8859_1));
        assertThat(String.join("", decoder.texts)).isEqualTo("\0\0\0\u0010\0\u0003\0\0user");
        // a ClientHello without SSLRequest is no SSLRequest: the decoder refuses it as a bad startup packet
        Received plain = new Received();
        EmbeddedChannel other = new EmbeddedChannel(new SslNegotiator(tls), plain);
        other.writeInbound(Unpooled.copiedBuffer("\u0016\u0003\u0001\u0002\0\u0001\0\u0001\u00fc",
                StandardCharsets.ISO_8859_1));
        assertThat(plain.texts).hasSize(1);
        assertThat(other.outboundMessages()).isEmpty();
    }

    @Test
    void aReloadGivesNewHandshakesTheNewCertificateAndKeepsTheOldOneOnError() throws Exception {
        Path d = dir.resolve("reload");
        TestCertificates first = TestCertificates.create(d, "first CA");
        ServerTls holder = ServerTls.create(TlsTestSupport.server(first, false));
        EmbeddedChannel before = new EmbeddedChannel(new SslNegotiator(holder), new Received());
        before.writeInbound(sslRequest());
        answer(before);
        SslHandler old = (SslHandler) before.pipeline().get(SslNegotiator.SSL_HANDLER_NAME);

        TestCertificates second = TestCertificates.create(d, "second CA"); // same file names, new content
        holder.reload();
        EmbeddedChannel after = new EmbeddedChannel(new SslNegotiator(holder), new Received());
        after.writeInbound(sslRequest());
        answer(after);
        EmbeddedChannel client = new EmbeddedChannel(SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
                .trustManager(second.caCert().toFile()).build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        TlsTestSupport.pump(client, after);
        assertThat(ClientTls.isTls(after)).as("the new certificate is served").isTrue();
        assertThat(before.pipeline().get(SslNegotiator.SSL_HANDLER_NAME)).isSameAs(old);

        java.nio.file.Files.writeString(second.serverCert(), "broken");
        org.assertj.core.api.Assertions.assertThatThrownBy(holder::reload).isInstanceOf(TlsConfigException.class);
        assertThat(holder.enabled()).isTrue();
        assertThat(holder.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT)).isPresent();
    }
}
