package io.jpgpool.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test's reader of Prometheus' text format accepts what Prometheus accepts and nothing else. */
class PrometheusTextTest {

    @Test
    void readsFamiliesLabelsAndHistograms() {
        PrometheusText t = PrometheusText.parse("""
                # HELP a_total What a counts \\\\ here
                # TYPE a_total counter
                a_total{node_id="0",hostname="h \\"x\\"\\n"} 3.0
                a_total{node_id="1",hostname="h"} 1.0E3 1700000000000
                # a comment
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.1"} 1
                h_seconds_bucket{le="+Inf"} 2
                h_seconds_count 2
                h_seconds_sum 0.5
                g NaN
                """);
        assertThat(t.value("a_total", "node_id", "0")).isEqualTo(3.0);
        assertThat(t.find("a_total", "node_id", "0").get(0).getKey().label("hostname")).isEqualTo("h \"x\"\n");
        assertThat(t.sum("a_total")).isEqualTo(1003.0);
        assertThat(t.type("h_seconds")).isEqualTo("histogram");
        assertThat(t.value("g")).isNaN();
    }

    @Test
    void refusesWhatPrometheusRefuses() {
        for (String bad : new String[] {
            "a-b 1\n", "a{0x=\"1\"} 1\n", "a{x=1} 1\n", "a{x=\"1\" 1\n", "a{x=\"\\t\"} 1\n", "a 1 2 3\n", "a one\n",
            "a 1\na 2\n", "a 1\nb 1\na{x=\"y\"} 1\n", "a 1\n# TYPE a gauge\n", "# TYPE a meter\na 1\n",
            "# TYPE a gauge\n# TYPE a gauge\n", "a{x=\"1\",x=\"2\"} 1\n", "a 1",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n", "a{__x=\"1\"} 1\n"}) {
            assertThatThrownBy(() -> PrometheusText.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
