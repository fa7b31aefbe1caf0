package io.jpgpool.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void namesParseAsTheOperatorWritesThem() {
        assertThat(Transport.Kind.parse("io_uring")).isEqualTo(Transport.Kind.IO_URING);
        assertThat(Transport.Kind.parse(" IOURING ")).isEqualTo(Transport.Kind.IO_URING);
        assertThat(Transport.Kind.parse("epoll")).isEqualTo(Transport.Kind.EPOLL);
        assertThat(Transport.Kind.parse("NIO")).isEqualTo(Transport.Kind.NIO);
        assertThatThrownBy(() -> Transport.Kind.parse("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport \"kqueue\"");
    }

    @Test
    void aPickNeverGoesUpTheList() {
        assertThat(Transport.of(Transport.Kind.NIO).kind()).isEqualTo(Transport.Kind.NIO);
        assertThat(Transport.of(Transport.Kind.EPOLL).kind()).isIn(Transport.Kind.EPOLL, Transport.Kind.NIO);
        assertThat(Transport.of(Transport.Kind.NIO).supportsUnixSockets()).isFalse();
    }

    @Test
    void everyKindThatLoadsMakesAGroupWhoseLoopsRun() throws Exception {
        for (Transport.Kind k : Transport.Kind.values()) {
            Transport t = Transport.of(k);
            EventLoopGroup g = t.newGroup(1, "transport-test");
            try {
                assertThat(g.submit(() -> 42).get()).isEqualTo(42);
            } finally {
                g.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void ipv4ListenersAreRefusedOnIoUring() {
        Transport t = Transport.of(Transport.Kind.IO_URING);
        if (t.kind() == Transport.Kind.IO_URING) {
            assertThatThrownBy(t::ipv4ServerSocket).isInstanceOf(IllegalStateException.class);
        }
    }
}
