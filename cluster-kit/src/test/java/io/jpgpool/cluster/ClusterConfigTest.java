package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void valuesAreQuotedForEachFileFormat() {
        assertThat(ClusterConfig.quote("it's")).isEqualTo("'it''s'");
        assertThat(ClusterConfig.quote("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(ClusterConfig.conninfoValue("postgres")).isEqualTo("postgres");
        assertThat(ClusterConfig.conninfoValue("two words'")).isEqualTo("'two words\\''");
        assertThat(ClusterConfig.literal("o'neil")).isEqualTo("'o''neil'");
        assertThat(ClusterConfig.ident("Mixed\"Case")).isEqualTo("\"Mixed\"\"Case\"");
    }

    @Test
    void hbaPutsExtraLinesFirstAndTrustsTheSocket() {
        ClusterOptions o = ClusterOptions.builder().auth(Auth.SCRAM).extraHba("host all mallory 127.0.0.1/32 reject")
                .build();

        String hba = ClusterConfig.pgHbaConf(o);

        assertThat(hba.indexOf("mallory")).isLessThan(hba.indexOf("scram-sha-256"));
        assertThat(hba).contains("local   all          all                   trust");
        assertThat(hba).contains("host    replication  all   127.0.0.1/32    scram-sha-256");
    }
}
