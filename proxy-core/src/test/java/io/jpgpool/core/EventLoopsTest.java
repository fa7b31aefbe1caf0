package io.jpgpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many event loops jpgpool runs when -Djpgpool.threads does not say. */
class EventLoopsTest {

    @Test
    void oneLoopPerTwoCoresNeverMoreThanClientsAndAtLeastOne() {
        assertThat(JpgpoolServer.defaultEventLoops(1, 32)).isEqualTo(1);
        assertThat(JpgpoolServer.defaultEventLoops(2, 32)).isEqualTo(1);
        assertThat(JpgpoolServer.defaultEventLoops(8, 32)).isEqualTo(4);
        assertThat(JpgpoolServer.defaultEventLoops(64, 8)).isEqualTo(8);
        assertThat(JpgpoolServer.defaultEventLoops(16, 1)).isEqualTo(1);
    }
}
