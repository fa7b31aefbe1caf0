package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transaction-mode lists of BEGIN/START TRANSACTION (the standby gets a plain BEGIN for READ WRITE
 * or SERIALIZABLE, SEMANTICS A.12) and SET/RESET, whose parameter and values decide primary-only
 * routing and the writing-transaction exemption (A.2, A.8).
 */
class TransactionAndSetTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            # sql                                                          | readOnly | readWrite | isolation        | deferrable | rewrite
            BEGIN                                                          | false    | false     | -                | false      | false
            BEGIN;                                                         | false    | false     | -                | false      | false
            BEGIN WORK                                                     | false    | false     | -                | false      | false
            BEGIN READ WRITE                                               | false    | true      | -                | false      | true
            BEGIN TRANSACTION READ ONLY                                    | true     | false     | -                | false      | false
            START TRANSACTION READ WRITE                                   | false    | true      | -                | false      | true
            START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY      | true     | false     | SERIALIZABLE     | false      | true
            BEGIN ISOLATION LEVEL REPEATABLE READ                          | false    | false     | REPEATABLE_READ  | false      | false
            BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE                | false    | true      | READ_COMMITTED   | false      | true
            begin isolation level read uncommitted                         | false    | false     | READ_UNCOMMITTED | false      | false
            BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE        | true     | false     | SERIALIZABLE     | true       | true
            BEGIN NOT DEFERRABLE, READ WRITE                               | false    | true      | -                | false      | true
            /* c */ BEGIN -- x                                             | false    | false     | -                | false      | false
            # like Pgpool-II, only the first read mode decides the rewrite
            BEGIN READ ONLY, READ WRITE                                    | true     | true      | -                | false      | false
            """)
    void begin(String sql, boolean readOnly, boolean readWrite, IsolationLevel isolation, boolean deferrable,
               boolean rewrite) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.BEGIN);
        assertThat(s.malformed()).isFalse();
        assertThat(s.transactionMode()).isEqualTo(new TransactionMode(readOnly, readWrite, isolation, deferrable));
        assertThat(s.beginNeedsRewriteForStandby()).as("rewrite to plain BEGIN").isEqualTo(rewrite);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            # sql                                                              | parameter                     | kind         | local | values                    | rw    | serial | ro
            SET extra_float_digits = 3                                         | extra_float_digits            | VALUE        | false | 3                         | false | false  | false
            SET application_name = 'PostgreSQL JDBC Driver'                    | application_name              | VALUE        | false | PostgreSQL JDBC Driver    | false | false  | false
            SET search_path TO "$user", public                                 | search_path                   | VALUE        | false | $user, public             | false | false  | false
            SET SESSION search_path = DEFAULT                                  | search_path                   | DEFAULT      | false |                           | false | false  | false
            SET LOCAL statement_timeout = '5s'                                 | statement_timeout             | VALUE        | true  | 5s                        | false | false  | false
            set DateStyle to ISO, MDY                                          | datestyle                     | VALUE        | false | iso, mdy                  | false | false  | false
            SET myapp.user_id = -42                                            | myapp.user_id                 | VALUE        | false | -42                       | false | false  | false
            SET work_mem FROM CURRENT                                          | work_mem                      | FROM_CURRENT | false |                           | false | false  | false
            SET x = E'a\\nb'                                                   | x                             | VALUE        | false | a\\nb                      | false | false  | false
            SET x = $$it's$$                                                   | x                             | VALUE        | false | it's                      | false | false  | false
            SET x = 'it''s'                                                    | x                             | VALUE        | false | it's                      | false | false  | false
            SET TIME ZONE 'UTC'                                                | timezone                      | VALUE        | false | UTC                       | false | false  | false
            SET TIME ZONE LOCAL                                                | timezone                      | DEFAULT      | false |                           | false | false  | false
            SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE                     | timezone                      | VALUE        | false | +02:00                    | false | false  | false
            SET NAMES 'UTF8'                                                   | client_encoding               | VALUE        | false | UTF8                      | false | false  | false
            SET SCHEMA 'app'                                                   | search_path                   | VALUE        | false | app                       | false | false  | false
            SET ROLE admin                                                     | role                          | VALUE        | false | admin                     | false | false  | false
            SET SESSION AUTHORIZATION DEFAULT                                  | session_authorization         | DEFAULT      | false |                           | false | false  | false
            SET XML OPTION DOCUMENT                                            | xmloption                     | VALUE        | false | document                  | false | false  | false
            # SEMANTICS A.2: these go to the primary only
            SET transaction_read_only = off                                    | transaction_read_only         | VALUE        | false | off                       | true  | false  | false
            SET transaction_read_only TO 'F'                                   | transaction_read_only         | VALUE        | false | F                         | true  | false  | false
            SET transaction_read_only = false                                  | transaction_read_only         | VALUE        | false | false                     | true  | false  | false
            SET transaction_read_only = 0                                      | transaction_read_only         | VALUE        | false | 0                         | true  | false  | false
            SET TRANSACTION_READ_ONLY = OFF                                    | transaction_read_only         | VALUE        | false | off                       | true  | false  | false
            SET transaction_read_only = no                                     | transaction_read_only         | VALUE        | false | no                        | false | false  | false
            SET transaction_read_only = '0'                                    | transaction_read_only         | VALUE        | false | 0                         | false | false  | false
            SET TRANSACTION READ WRITE                                         | transaction                   | MULTI        | false |                           | true  | false  | false
            SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE              | session characteristics       | MULTI        | false |                           | true  | false  | false
            SET transaction_isolation = 'serializable'                         | transaction_isolation         | VALUE        | false | serializable              | false | true   | false
            SET default_transaction_isolation TO SERIALIZABLE                  | default_transaction_isolation | VALUE        | false | serializable              | false | true   | false
            SET default_transaction_isolation = 'repeatable read'              | default_transaction_isolation | VALUE        | false | repeatable read           | false | false  | false
            SET TRANSACTION ISOLATION LEVEL SERIALIZABLE                       | transaction                   | MULTI        | false |                           | false | true   | false
            SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE | session characteristics  | MULTI        | false |                           | false | true   | false
            SET LOCAL TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE     | transaction                   | MULTI        | true  |                           | true  | true   | false
            # SEMANTICS A.8: READ ONLY variants never count as writes
            SET transaction_read_only = on                                     | transaction_read_only         | VALUE        | false | on                        | false | false  | true
            SET transaction_read_only TO true                                  | transaction_read_only         | VALUE        | false | true                      | false | false  | true
            SET transaction_read_only = 't'                                    | transaction_read_only         | VALUE        | false | t                         | false | false  | true
            SET transaction_read_only = 1                                      | transaction_read_only         | VALUE        | false | 1                         | false | false  | true
            SET TRANSACTION READ ONLY                                          | transaction                   | MULTI        | false |                           | false | false  | true
            SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY               | session characteristics       | MULTI        | false |                           | false | false  | true
            SET TRANSACTION SNAPSHOT '00000003-0000001B-1'                     | transaction snapshot          | MULTI        | false | 00000003-0000001B-1       | false | false  | false
            SET default_transaction_read_only = off                            | default_transaction_read_only | VALUE        | false | off                       | false | false  | false
            """)
    void set(String sql, String parameter, SetCommand.Kind kind, boolean local, String values, boolean readWrite,
             boolean serializable, boolean readOnly) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.SET);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        SetCommand set = s.setCommand();
        assertThat(set.parameter()).isEqualTo(parameter);
        assertThat(set.kind()).isEqualTo(kind);
        assertThat(set.local()).isEqualTo(local);
        assertThat(set.values().stream().map(SetCommand.Value::text).toList())
                .isEqualTo(list(values == null ? null : values.replace("\\n", "\n")));
        assertThat(s.setsTransactionReadWrite()).as("setsTransactionReadWrite").isEqualTo(readWrite);
        assertThat(s.setsSerializable()).as("setsSerializable").isEqualTo(serializable);
        assertThat(s.setsReadOnly()).as("setsReadOnly").isEqualTo(readOnly);
    }

    @Test
    void setTransactionCarriesItsModeList() {
        Statement s = SqlAnalyzer.analyzeStrict("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        assertThat(s.transactionMode())
                .isEqualTo(new TransactionMode(true, false, IsolationLevel.REPEATABLE_READ, false));
        assertThat(s.setCommand().valueText()).isEqualTo("ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        assertThat(s.beginNeedsRewriteForStandby()).isFalse(); // only BEGIN is rewritten
    }

    @Test
    void setValueTextIsTheTextAsWritten() {
        SetCommand set = SqlAnalyzer.analyzeStrict("SET search_path TO \"$user\" , public").setCommand();
        assertThat(set.valueText()).isEqualTo("\"$user\" , public");
        assertThat(set.value()).isEqualTo("$user");
        assertThat(set.values()).extracting(SetCommand.Value::numeric).containsExactly(false, false);
        assertThat(SqlAnalyzer.analyzeStrict("SET extra_float_digits = 3").setCommand().values())
                .containsExactly(new SetCommand.Value("3", true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            RESET ALL                                | all                   | RESET_ALL
            RESET search_path                        | search_path           | RESET
            RESET TIME ZONE                          | timezone              | RESET
            RESET TRANSACTION ISOLATION LEVEL        | transaction_isolation | RESET
            RESET SESSION AUTHORIZATION              | session_authorization | RESET
            RESET myapp.user_id                      | myapp.user_id         | RESET
            """)
    void reset(String sql, String parameter, SetCommand.Kind kind) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.RESET);
        assertThat(s.malformed()).isFalse();
        assertThat(s.setCommand().parameter()).isEqualTo(parameter);
        assertThat(s.setCommand().kind()).isEqualTo(kind);
        assertThat(s.setsTransactionReadWrite() || s.setsSerializable() || s.setsReadOnly()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SHOW search_path                         | search_path
            SHOW ALL                                 | all
            SHOW TIME ZONE                           | timezone
            SHOW TRANSACTION ISOLATION LEVEL         | transaction_isolation
            SHOW SESSION AUTHORIZATION               | session_authorization
            show POOL_NODES                          | pool_nodes
            SHOW "Quoted"                            | Quoted
            """)
    void show(String sql, String name) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.SHOW);
        assertThat(s.malformed()).isFalse();
        assertThat(s.showName()).isEqualTo(name);
        assertThat(s.syntacticRead()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            COMMIT                         | COMMIT
            END;                           | COMMIT
            ROLLBACK TO SAVEPOINT "Sp"     | ROLLBACK_TO
            SAVEPOINT JDBC_SAVEPOINT_0     | SAVEPOINT
            """)
    void otherTransactionStatementsHaveNoModeList(String sql, StatementKind kind) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.kind().transactionControl()).isTrue();
        assertThat(s.transactionMode()).isNull();
        assertThat(s.beginNeedsRewriteForStandby()).isFalse();
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::strip).toList();
    }
}
