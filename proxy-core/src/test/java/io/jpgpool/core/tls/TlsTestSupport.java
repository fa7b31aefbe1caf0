package io.jpgpool.core.tls;

import io.jpgpool.config.BackendSslMode;
import io.jpgpool.cluster.TestCertificates;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;

/** Certificates, settings and an in-memory wire between two channels, for TLS tests without sockets. */
final class TlsTestSupport {
    private TlsTestSupport() {
    }

    static TlsSettings server(TestCertificates certs, boolean withCa) {
        return new TlsSettings(true, certs.serverCert(), certs.serverKey(), withCa ? certs.caCert() : null, null,
                null, "HIGH:MEDIUM:+3DES:!aNULL", false, "prime256v1", null, "", BackendSslMode.PREFER);
    }

    static TlsSettings withKey(TlsSettings s, Path key, String passphraseCommand) {
        return new TlsSettings(s.ssl(), s.cert(), key, s.caCert(), s.caCertDir(), s.crlFile(), s.ciphers(),
                s.preferServerCiphers(), s.ecdhCurve(), s.dhParamsFile(), passphraseCommand, s.backendMode());
    }

    static TlsSettings backend(TestCertificates certs, BackendSslMode mode, boolean withCa) {
        return new TlsSettings(true, null, null, withCa ? certs.caCert() : null, null, null, "HIGH", false,
                "prime256v1", null, "", mode);
    }

    /** A last handler that closes the channel on an error (a TLS alert) instead of failing the test. */
    static io.netty.channel.ChannelInboundHandlerAdapter closeOnError() {
        return new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    /** Moves bytes both ways until neither side has anything more to say. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        for (int round = 0; round < 100; round++) {
            boolean moved = move(a, b) | move(b, a);
            a.runPendingTasks();
            b.runPendingTasks();
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the two sides never stopped talking");
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(o);
            } else {
                ((ByteBuf) o).release();
            }
        }
        return moved;
    }
}
