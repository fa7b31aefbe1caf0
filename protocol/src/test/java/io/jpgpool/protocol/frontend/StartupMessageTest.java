package io.jpgpool.protocol.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the proxy reads from a startup packet: user, database, application_name, and the pool key. */
class StartupMessageTest {

    @Test
    void databaseDefaultsToTheUserAsInPostgres() {
        assertThat(new StartupMessage(StartupMessage.PROTOCOL_3_0, Map.of("user", "alice")).database())
                .isEqualTo("alice");
        assertThat(StartupMessage.of("alice", "", Map.of()).database()).isEqualTo("alice");
        assertThat(StartupMessage.of("alice", "shop", Map.of()).database()).isEqualTo("shop");
    }

    @Test
    void applicationNameIsEmptyWhenNotSent() {
        assertThat(StartupMessage.of("alice", "shop", Map.of()).applicationName()).isEmpty();
        assertThat(StartupMessage.of("alice", "shop", Map.of("application_name", "psql")).applicationName())
                .isEqualTo("psql");
    }

    @Test
    void packetsThatDifferOnlyInParameterOrderHaveTheSamePoolKey() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("user", "alice");
        one.put("database", "shop");
        one.put("application_name", "app");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("application_name", "app");
        other.put("database", "shop");
        other.put("user", "alice");

        StartupMessage a = new StartupMessage(StartupMessage.PROTOCOL_3_0, one);
        StartupMessage b = new StartupMessage(StartupMessage.PROTOCOL_3_0, other);

        assertThat(a.sortedParameters()).isEqualTo(b.sortedParameters());
        assertThat(a.sortedParameters().keySet()).containsExactly("application_name", "database", "user");
    }

    @Test
    void parametersCannotBeChangedAfterwards() {
        Map<String, String> p = new LinkedHashMap<>(Map.of("user", "alice"));
        StartupMessage startup = new StartupMessage(StartupMessage.PROTOCOL_3_0, p);
        p.put("user", "mallory");

        assertThat(startup.user()).isEqualTo("alice");
        assertThatThrownBy(() -> startup.parameters().put("user", "mallory"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
