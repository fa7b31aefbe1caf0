package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReloadAndOverrideTest {

    static final String BASE = """
            port = 9999
            num_init_children = 32
            load_balance_mode = on
            write_function_list = 'nextval'
            database_redirect_preference_list = 'postgres:primary'
            client_min_messages = notice
            health_check_period = 10
            backend_hostname0 = a
            backend_port0 = 5432
            backend_weight0 = 1
            backend_hostname1 = b
            backend_port1 = 5432
            backend_weight1 = 1
            """;

    @Test
    void identicalConfigsHaveNoDiff() throws Exception {
        PgpoolConfig a = PgpoolConfig.parse("a", BASE);
        PgpoolConfig b = PgpoolConfig.parse("b", "# same values, other spellings\n" + BASE
                .replace("load_balance_mode = on", "load_balance_mode = true")
                .replace("health_check_period = 10", "health_check_period = 10s"));
        assertThat(a.diffForReload(b).isEmpty()).isTrue();
    }

    @Test
    void changesSplitByContext() throws Exception {
        PgpoolConfig a = PgpoolConfig.parse("a", BASE);
        PgpoolConfig b = PgpoolConfig.parse("b", BASE + """
                port = 9998
                load_balance_mode = off
                write_function_list = 'nextval,setval'
                database_redirect_preference_list = 'postgres:standby'
                client_min_messages = warning
                health_check_period1 = 5
                backend_weight1 = 3
                backend_hostname2 = c
                backend_port2 = 5432
                """);
        ReloadDiff d = a.diffForReload(b);
        assertThat(d.restartRequired()).containsExactly("port", "load_balance_mode");
        assertThat(d.reloadable()).containsExactlyInAnyOrder("write_function_list", "database_redirect_preference_list",
                "client_min_messages", "health_check_period1", "backend_weight1", "backend_hostname2", "backend_port2");
        assertThat(d.changed()).hasSize(9);
        // and back: the per-node override going away is a change too
        assertThat(b.diffForReload(a).reloadable()).contains("health_check_period1", "backend_port2");
    }

    @Test
    void overridesAreCheckedLikeFileLines() throws Exception {
        PgpoolConfig base = PgpoolConfig.parse("a", BASE);
        PgpoolConfig set = base.withOverride("client_min_messages", "debug1");
        assertThat(set.clientMinMessages()).isEqualTo(MessageLevel.DEBUG1);
        assertThat(base.clientMinMessages()).isEqualTo(MessageLevel.NOTICE);
        assertThat(set.backends()).hasSize(2);
        assertThatThrownBy(() -> base.withOverride("client_min_messages", "loud"))
                .hasMessage("client_min_messages: invalid value \"loud\": must be one of debug5, debug4, debug3, "
                        + "debug2, debug1, log, info, notice, warning, error, fatal, panic");
        assertThatThrownBy(() -> base.withOverride("no_such", "1"))
                .hasMessage("no_such: unrecognized configuration parameter");
        assertThatThrownBy(() -> base.withOverride("backend_port3", "5432"))
                .hasMessage("backend_port3: backend 2 is missing (no backend_port2); "
                        + "backends must be numbered from 0 without gaps");
    }

    @Test
    void sessionOverridesOnlyForSessionParameters() throws Exception {
        PgpoolConfig base = PgpoolConfig.parse("a", BASE);
        assertThat(base.withSessionOverride("allow_sql_comments", "on").allowSqlComments()).isTrue();
        assertThat(base.withSessionOverride("client_idle_limit", "1min").clientIdleLimit()).isEqualTo(60);
        assertThatThrownBy(() -> base.withSessionOverride("port", "5000"))
                .hasMessage("port: cannot be changed with PGPOOL SET");
    }

    @Test
    void builderForTests() throws Exception {
        PgpoolConfig c = PgpoolConfig.builder()
                .set("backend_hostname0", "h0").set("backend_port0", "5432")
                .set("Load_Balance_Mode", "off")
                .build();
        assertThat(c.backends()).hasSize(1);
        assertThat(c.loadBalanceMode()).isFalse();
        assertThat(c.isSet("load_balance_mode")).isTrue();
        assertThat(c.isSet("port")).isFalse();
        assertThatThrownBy(() -> PgpoolConfig.builder().set("port", "1").build())
                .hasMessage("port: invalid value \"1\": must be between 1024 and 65535");
    }
}
