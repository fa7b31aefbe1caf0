package io.jpgpool.core.cache;

import io.jpgpool.sql.SetCommand;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of one session that can change the bytes of an answer to the same query text (search_path,
 * client_encoding, DateStyle, extra_float_digits, bytea_output...), as one string for the {@link CacheKey}: the
 * startup packet's parameters, then what successful {@code SET} statements changed. Parameters that only change
 * how a statement runs (timeouts, memory, planner switches) are left out so they do not split the cache.
 *
 * <p>Pgpool-II keys results by user, database and text only; a client with another client_encoding or
 * search_path would be served another session's bytes. Changes made inside a transaction count from its COMMIT.
 */
final class SessionSettings {
    /** Startup packet fields that are the key already or change nothing in an answer. */
    private static final Set<String> NOT_SETTINGS = Set.of("user", "database", "application_name", "replication",
            "fallback_application_name");

    /** Run-time settings that do not change the bytes of a result. */
    private static final Set<String> HARMLESS = Set.of("application_name", "statement_timeout", "lock_timeout",
            "idle_in_transaction_session_timeout", "idle_session_timeout", "client_min_messages", "log_statement",
            "log_min_duration_statement", "log_min_messages", "log_duration", "work_mem", "maintenance_work_mem",
            "hash_mem_multiplier", "temp_buffers", "synchronous_commit", "jit", "random_page_cost", "seq_page_cost",
            "effective_cache_size", "effective_io_concurrency", "max_parallel_workers_per_gather",
            "parallel_setup_cost", "parallel_tuple_cost", "cpu_tuple_cost", "cpu_index_tuple_cost",
            "cpu_operator_cost", "join_collapse_limit", "from_collapse_limit", "geqo", "plan_cache_mode",
            "default_transaction_isolation", "transaction_isolation", "default_transaction_read_only",
            "transaction_read_only", "default_transaction_deferrable", "transaction_deferrable", "trace_notify",
            "lo_compat_privileges", "commit_delay", "commit_siblings", "temp_file_limit", "vacuum_cost_delay");

    private final Map<String, String> startup;
    private final TreeMap<String, String> current;
    private String key;

    SessionSettings(Map<String, String> startupParameters) {
        TreeMap<String, String> s = new TreeMap<>();
        startupParameters.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (!NOT_SETTINGS.contains(name)) {
                s.put(name, v);
            }
        });
        this.startup = Map.copyOf(s);
        this.current = s;
        this.key = render();
    }

    /** The settings part of the key. */
    String key() {
        return key;
    }

    /** Whether a SET or RESET of this command's parameter can change answers. */
    static boolean matters(SetCommand c) {
        return switch (c.kind()) {
            case MULTI, FROM_CURRENT -> false;
            case RESET_ALL -> true;
            default -> !HARMLESS.contains(c.parameter()) && !c.parameter().startsWith("enable_");
        };
    }

    /** A successful, committed SET/RESET (not LOCAL) of a parameter that {@link #matters}. */
    void apply(SetCommand c) {
        switch (c.kind()) {
            case VALUE -> {
                StringBuilder v = new StringBuilder();
                for (SetCommand.Value value : c.values()) {
                    v.append(v.isEmpty() ? "" : ",").append(value.text());
                }
                current.put(c.parameter(), v.toString());
            }
            case DEFAULT, RESET -> restore(c.parameter());
            case RESET_ALL -> resetAll();
            default -> {
                return;
            }
        }
        key = render();
    }

    /** RESET ALL, DISCARD ALL: back to what the startup packet said. */
    void resetAll() {
        current.clear();
        current.putAll(startup);
        key = render();
    }

    private void restore(String parameter) {
        String s = startup.get(parameter);
        if (s == null) {
            current.remove(parameter);
        } else {
            current.put(parameter, s);
        }
    }

    private String render() {
        if (current.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        current.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        return sb.toString();
    }
}
