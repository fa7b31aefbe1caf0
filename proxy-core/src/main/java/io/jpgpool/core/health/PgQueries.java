package io.jpgpool.core.health;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.Secret;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.tls.BackendTls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * JDBC access for jpgpool's own queries (replication checks, primary detection). Passwords left empty in
 * pgpool.conf are taken from pool_passwd when it holds them in text, as pgpool does (SEMANTICS E.5). TLS follows
 * backend_sslmode, as for session connections (SEMANTICS E.6).
 */
public final class PgQueries {
    private PgQueries() {
    }

    public static String url(BackendNode node, String database) {
        String host = node.host().isEmpty() || node.host().startsWith("/") ? "localhost" : node.host();
        return "jdbc:postgresql://" + host + ":" + node.port() + "/" + database;
    }

    public static Properties properties(String user, String password, int connectTimeoutMillis, int socketTimeoutSeconds,
            BackendTls tls) {
        Properties p = tls.jdbcProperties(new Properties());
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "jpgpool");
        p.setProperty("connectTimeout", String.valueOf(Math.max(1, (connectTimeoutMillis + 999) / 1000)));
        p.setProperty("socketTimeout", String.valueOf(Math.max(1, socketTimeoutSeconds)));
        p.setProperty("loginTimeout", String.valueOf(Math.max(1, socketTimeoutSeconds)));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("preferQueryMode", "simple");
        return p;
    }

    /** A fresh connection (what a health check needs: proof that a new login works). */
    public static Connection connect(BackendNode node, String database, String user, String password,
            int connectTimeoutMillis, int timeoutSeconds, BackendTls tls) throws SQLException {
        return DriverManager.getConnection(url(node, database),
                properties(user, password, connectTimeoutMillis, timeoutSeconds, tls));
    }

    /** A small pool of connections to one node, for checks that run every few seconds. */
    public static HikariDataSource pool(BackendNode node, String database, String user, String password,
            int connectTimeoutMillis, String name, BackendTls tls) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(url(node, database));
        c.setDataSourceProperties(properties(user, password, connectTimeoutMillis, 10, tls));
        c.setMaximumPoolSize(1);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(Math.max(250, connectTimeoutMillis > 0 ? connectTimeoutMillis : 10_000));
        c.setValidationTimeout(Math.max(250, Math.min(5000, connectTimeoutMillis > 0 ? connectTimeoutMillis : 5000)));
        c.setInitializationFailTimeout(-1);
        c.setIdleTimeout(60_000);
        c.setMaxLifetime(600_000);
        c.setAutoCommit(true);
        c.setRegisterMbeans(false);
        return new HikariDataSource(c);
    }

    /** The password to use for {@code user}: the configured one, else a text entry of pool_passwd. */
    public static String password(String configured, String user, PoolPasswd poolPasswd) {
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        if (poolPasswd == null) {
            return "";
        }
        return poolPasswd.lookup(user).map(e -> {
            Secret s = e.secret();
            if (s instanceof Secret.PlainText p) {
                return p.password();
            }
            if (s instanceof Secret.Aes a) {
                return io.jpgpool.core.auth.AesPasswords.decrypt(a).orElse("");
            }
            return "";
        }).orElse("");
    }

    /** "16/B374D848" to a byte position. */
    public static long lsn(String text) {
        if (text == null) {
            return -1;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return -1;
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }
}
