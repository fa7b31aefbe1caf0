package io.jpgpool.cluster;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The text of the configuration files we write: postgresql.conf additions, pg_hba.conf, the node file. */
final class ClusterConfig {
    private static final Pattern PLAIN_CONNINFO_VALUE = Pattern.compile("[A-Za-z0-9_.@:/-]+");

    static final String SSL_CERT = "server.crt";
    static final String SSL_KEY = "server.key";
    static final String SSL_CA = "root.crt";

    private ClusterConfig() {
    }

    /** Appended to every node's postgresql.conf after initdb; a standby inherits it with the data directory. */
    static String postgresqlConf(ClusterOptions o, Path socketDir) {
        StringBuilder sb = new StringBuilder()
                .append("\n# ---- jpgpool cluster-kit ----\n")
                .append("listen_addresses = '127.0.0.1'\n")
                .append("unix_socket_directories = ").append(quote(socketDir.toString())).append('\n')
                .append("max_connections = 200\n")
                .append("# throwaway test clusters: speed over durability, a crash may lose data\n")
                .append("fsync = off\n")
                .append("synchronous_commit = ").append(o.synchronousStandby() ? "on" : "off").append('\n')
                .append("# on, unlike the other speed settings: pg_rewind refuses a source without it\n")
                .append("full_page_writes = on\n")
                .append("wal_log_hints = on\n")
                .append("wal_level = replica\n")
                .append("max_wal_senders = 20\n")
                .append("max_replication_slots = 20\n")
                .append("wal_keep_size = 256MB\n")
                .append("hot_standby = on\n")
                .append("hot_standby_feedback = on\n")
                .append("# a standby whose primary is away (failover tests) retries every 0.5 s, not 5 s\n")
                .append("wal_retrieve_retry_interval = 500ms\n")
                .append("password_encryption = ").append(o.auth().passwordEncryption()).append('\n')
                .append("logging_collector = off\n")
                .append("log_line_prefix = '%m [%p] %q%u@%d '\n");
        if (o.ssl() != null) {
            // the files are copied into the data directory by PgNode.initdb; relative names resolve there
            sb.append("ssl = on\n")
                    .append("ssl_cert_file = '").append(SSL_CERT).append("'\n")
                    .append("ssl_key_file = '").append(SSL_KEY).append("'\n");
            if (o.ssl().caFile() != null) {
                sb.append("ssl_ca_file = '").append(SSL_CA).append("'\n");
            }
        }
        if (!o.extraConf().isEmpty()) {
            sb.append("# ---- extra settings (ClusterOptions.extraConf) ----\n");
            o.extraConf().forEach(l -> sb.append(l).append('\n'));
        }
        return sb.append("# port, cluster_name, primary_conninfo: see that file\n")
                .append("include '").append(PgNode.NODE_CONF).append("'\n")
                .toString();
    }

    /** TCP on 127.0.0.1 with the configured method, the Unix socket trusted; extra lines first. */
    static String pgHbaConf(ClusterOptions o) {
        StringBuilder sb = new StringBuilder("# ---- jpgpool cluster-kit ----\n");
        o.extraHba().forEach(l -> sb.append(l).append('\n'));
        String m = o.auth().hbaMethod();
        return sb.append("local   all          all                   trust\n")
                .append("local   replication  all                   trust\n")
                .append("host    all          all   127.0.0.1/32    ").append(m).append('\n')
                .append("host    replication  all   127.0.0.1/32    ").append(m).append('\n')
                .toString();
    }

    /** What makes {@code node} itself; {@code upstream} non-null makes it a standby of that node. */
    static String nodeConf(PgNode node, PgNode upstream, String synchronousStandbyNames, String password) {
        StringBuilder sb = new StringBuilder()
                .append("# ").append(node.name()).append(": rewritten by jpgpool cluster-kit before every start\n")
                .append("port = ").append(node.port()).append('\n')
                .append("cluster_name = ").append(quote(node.name())).append('\n');
        if (upstream != null) {
            String conninfo = "host=" + upstream.host() + " port=" + upstream.port() + " user="
                    + ClusterOptions.SUPERUSER + " password=" + conninfoValue(password)
                    + " application_name=" + node.name();
            sb.append("primary_conninfo = ").append(quote(conninfo)).append('\n');
        }
        if (synchronousStandbyNames != null) {
            sb.append("synchronous_standby_names = ").append(quote(synchronousStandbyNames)).append('\n');
        }
        return sb.toString();
    }

    /** A postgresql.conf string value. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** A libpq keyword value: bare when safe, else single-quoted with backslash escapes. */
    static String conninfoValue(String value) {
        if (PLAIN_CONNINFO_VALUE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An SQL string literal (standard_conforming_strings is on). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** An SQL identifier, always quoted so that case and odd characters survive. */
    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
