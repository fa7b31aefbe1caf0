package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The online recovery parameters (SEMANTICS D.1): pgpool's defaults, reload contexts and configuration check. */
class RecoveryConfigTest {

    static PgpoolConfig parse(String text) throws ConfigException {
        return PgpoolConfig.parse("pgpool.conf", text);
    }

    @Test
    void defaultsAreThoseOfPgpool43() {
        PgpoolConfig c = PgpoolConfig.defaults();
        assertThat(c.recoveryUser()).isEqualTo("nobody");
        assertThat(c.recoveryPassword()).isEmpty();
        assertThat(c.recovery1stStageCommand()).isEmpty();
        assertThat(c.recovery2ndStageCommand()).isEmpty();
        assertThat(c.recoveryTimeout()).isEqualTo(90);
        assertThat(c.clientIdleLimitInRecovery()).isZero();
        assertThat(c.recoveryConfigProblem()).isEmpty();
    }

    @Test
    void theyAreSupportedReloadableAndThePasswordIsHidden() throws Exception {
        PgpoolConfig older = parse("backend_port0 = 5432\nbackend_data_directory0 = '/d0'\n");
        PgpoolConfig newer = parse("""
                backend_port0 = 5432
                backend_data_directory0 = '/d0'
                recovery_user = 'postgres'
                recovery_password = 'secret'
                recovery_1st_stage_command = 'recovery_1st_stage'
                recovery_2nd_stage_command = 'recovery_2nd_stage'
                recovery_timeout = 10min
                client_idle_limit_in_recovery = -1
                """);
        assertThat(newer.warnings()).isEmpty();
        assertThat(newer.recoveryTimeout()).isEqualTo(600);
        assertThat(newer.clientIdleLimitInRecovery()).isEqualTo(-1);
        assertThat(older.diffForReload(newer).reloadable()).containsExactlyInAnyOrder("recovery_user",
                "recovery_password", "recovery_1st_stage_command", "recovery_2nd_stage_command", "recovery_timeout",
                "client_idle_limit_in_recovery");
        assertThat(older.diffForReload(newer).restartRequired()).isEmpty();
        assertThat(newer.format("recovery_password")).isEqualTo("*****");
        assertThat(newer.withSessionOverride("client_idle_limit_in_recovery", "5").clientIdleLimitInRecovery())
                .as("PGPOOL SET may change it").isEqualTo(5);
    }

    @Test
    void aStageCommandNeedsTheDataDirectoryOfEveryNode() throws Exception {
        PgpoolConfig c = parse("""
                backend_port0 = 5432
                backend_data_directory0 = '/d0'
                backend_port1 = 5433
                recovery_1st_stage_command = 'recovery_1st_stage'
                """);
        assertThat(c.recoveryConfigProblem()).hasValueSatisfying(e -> assertThat(e.getMessage()).isEqualTo(
                "pgpool.conf:4: recovery_1st_stage_command: invalid configuration, recovery_1st_stage_command and "
                        + "recovery_2nd_stage_command requires backend_data_directory to be set "
                        + "(backend_data_directory1 is empty)"));
    }

    @Test
    void theSecondStageCommandAloneAlsoNeedsThem() throws Exception {
        PgpoolConfig c = parse("backend_port0 = 5432\nrecovery_2nd_stage_command = 'recovery_2nd_stage'\n");
        assertThat(c.recoveryConfigProblem()).hasValueSatisfying(e -> assertThat(e.getMessage())
                .startsWith("pgpool.conf:2: recovery_2nd_stage_command: invalid configuration"));
    }

    @Test
    void withoutStageCommandsOrWithEveryDataDirectoryAllIsWell() throws Exception {
        assertThat(parse("backend_port0 = 5432\nbackend_port1 = 5433\n").recoveryConfigProblem()).isEmpty();
        assertThat(parse("""
                backend_port0 = 5432
                backend_data_directory0 = '/d0'
                backend_port1 = 5433
                backend_data_directory1 = '/d1'
                recovery_1st_stage_command = 'recovery_1st_stage'
                """).recoveryConfigProblem()).isEmpty();
    }
}
