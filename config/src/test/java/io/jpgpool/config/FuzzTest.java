package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random input never produces anything but a ConfigException or a usable config. */
class FuzzTest {

    static final String[] NAMES = {"port", "backend_hostname0", "backend_port0", "backend_port1", "backend_weight1",
            "backend_flag0", "health_check_period", "health_check_period1", "connect_timeout", "write_function_list",
            "primary_routing_query_pattern_list", "database_redirect_preference_list", "reset_query_list",
            "memqcache_total_size", "load_balance_mode", "client_min_messages", "check_temp_table", "delay_threshold",
            "backend_port200", "unknown_x", "white_function_list", "use_watchdog", "log_file_mode", "include"};
    static final String[] VALUES = {"0", "1", "-1", "5432", "10s", "500ms", "1.5", "0x10", "08", "1e5", "64MB",
            "on", "off", "o", "'", "''", "'a''b'", "'\\''", "'x,y(,z'", "'db:1(0.5)'", "'db:standby(2)'",
            "'ALLOW_TO_FAILOVER|ALWAYS_MASTER'", "'[[:digit:]'", "'\\;;'", "\u00e9", "=", "#", "''''", "'a\\"};

    static final String ALPHABET = "abcp_=' #\\0123456789,;:()|$^[]\t\r";

    @Test
    void randomLinesAndBytes() {
        Random random = new Random(20241122L);
        int accepted = 0;
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(6);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> text.append(NAMES[random.nextInt(NAMES.length)]).append(" = ")
                            .append(VALUES[random.nextInt(VALUES.length)]);
                    case 1 -> text.append(NAMES[random.nextInt(NAMES.length)]).append(' ')
                            .append(VALUES[random.nextInt(VALUES.length)]).append(VALUES[random.nextInt(VALUES.length)]);
                    case 2 -> {
                        byte[] bytes = new byte[random.nextInt(40)];
                        random.nextBytes(bytes);
                        text.append(new String(bytes, StandardCharsets.ISO_8859_1));
                    }
                    default -> {
                        char[] chars = new char[random.nextInt(30)];
                        for (int k = 0; k < chars.length; k++) {
                            chars[k] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                        }
                        text.append(chars);
                    }
                }
                text.append('\n');
            }
            if (survives(text.toString())) {
                accepted++;
            }
        }
        // the generator must exercise both outcomes
        assertThat(accepted).isBetween(50, 2950);
    }

    @Test
    void overridesWithRandomValues() throws Exception {
        Random random = new Random(7);
        PgpoolConfig base = PgpoolConfig.parse("f", "backend_port0 = 5432");
        List<String> names = new ArrayList<>();
        Params.all().forEach(p -> names.add(p.perNode() ? p.nameFor(random.nextInt(3)) : p.name()));
        for (int i = 0; i < 3000; i++) {
            String name = names.get(random.nextInt(names.size()));
            char[] chars = new char[random.nextInt(12)];
            for (int k = 0; k < chars.length; k++) {
                chars[k] = (char) random.nextInt(128);
            }
            try {
                PgpoolConfig c = base.withOverride(name, new String(chars));
                c.format(name);
                c.formatPoolStatus(name);
            } catch (ConfigException expected) {
                assertThat(expected.getMessage()).startsWith(name.toLowerCase() + ": ");
            }
        }
    }

    private static boolean survives(String text) {
        try {
            PgpoolConfig c = PgpoolConfig.parse("fuzz.conf", text);
            // a config that loads must be usable
            c.backends().forEach(b -> b.healthCheck().enabled());
            PoolStatusItems.rows(c, PoolStatusItemsTest.SAMPLE_RUNTIME);
            c.diffForReload(PgpoolConfig.defaults());
            c.warnings().forEach(ConfigWarning::toString);
            return true;
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.conf");
            return false;
        }
    }
}
