package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgBinariesTest {

    @Test
    void findPicksADirectoryWithTheServer() {
        PgBinaries found = PgBinaries.find();

        assertThat(found.has("initdb")).isTrue();
        assertThat(found.has("postgres")).isTrue();
        assertThat(found.majorVersion()).isGreaterThanOrEqualTo(12);
        assertThat(PgBinaries.find()).isSameAs(found);
    }

    @Test
    void aMissingToolIsNamedInTheError() {
        assertThatThrownBy(() -> PgBinaries.find().tool("pg_no_such_tool"))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("has no pg_no_such_tool");
    }
}
