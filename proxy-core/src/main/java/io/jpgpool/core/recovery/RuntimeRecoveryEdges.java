package io.jpgpool.core.recovery;

import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.PoolPasswdEntry;
import io.jpgpool.config.Secret;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.failover.FailoverRequestException;
import io.jpgpool.core.auth.AesPasswords;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.failover.FailoverCoordinator;
import io.jpgpool.core.health.PgQueries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Online recovery's I/O in a running jpgpool: JDBC to the nodes, scripts on this host, the failover coordinator. */
public final class RuntimeRecoveryEdges implements RecoveryEdges {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRecoveryEdges.class);
    /** recovery.c FAILBACK_WAIT_MAX_RETRY: how long pgpool waits for the failback it requested. */
    private static final int FAILBACK_WAIT_SECONDS = 5;
    /** pgpool's check_postmaster_started tries {@code postgres}, then {@code template1}. */
    private static final String NO_SUCH_DATABASE = "3D000";

    private final ProxyRuntime rt;
    private final FailoverCoordinator failover;

    public RuntimeRecoveryEdges(ProxyRuntime rt, FailoverCoordinator failover) {
        this.rt = rt;
        this.failover = failover;
    }

    @Override
    public StageRunner openSource(RecoveryPlan plan) throws RecoveryException {
        BackendNode source = plan.source();
        Properties p = PgQueries.properties(plan.recoveryUser(), password(plan.recoveryUser()),
                rt.config().connectTimeout(), 1, rt.connector().tls());
        p.setProperty("socketTimeout", "0"); // a stage runs as long as it needs (pgpool: statement_timeout 0)
        Connection conn;
        try {
            conn = DriverManager.getConnection(PgQueries.url(source, "template1"), p);
        } catch (SQLException e) {
            if (md5Hashed(plan.recoveryUser())) {
                throw new RecoveryException("the password of recovery_user " + plan.recoveryUser()
                        + " is invalid format", "recovery_password is not allowed to be md5 hashed format");
            }
            throw new RecoveryException("node recovery failed, unable to connect to main node: " + source.id() + " ",
                    e.getMessage());
        }
        SourceConnection sc = new SourceConnection(conn, source.id());
        try {
            if (sc.hasExtension()) {
                return new ExtensionStageRunner(sc);
            }
        } catch (SQLException e) {
            sc.close();
            throw new RecoveryException("node recovery failed, unable to connect to main node: " + source.id() + " ",
                    e.getMessage());
        }
        return LocalStageRunner.open(sc, source.dataDirectory());
    }

    @Override
    public boolean acceptsConnections(RecoveryPlan plan) {
        String user = plan.recoveryUser();
        String password = password(user);
        int connectTimeout = Math.max(1000, Math.min(5000, rt.config().connectTimeout()));
        for (String db : new String[] {"postgres", "template1"}) {
            try (Connection c = PgQueries.connect(plan.target(), db, user, password, connectTimeout, 5,
                    rt.connector().tls())) {
                return c.isValid(5);
            } catch (SQLException e) {
                LOG.debug("checking if postmaster is started: failed to connect to postmaster on hostname:{} "
                        + "database:{} user:{}: {}", plan.target().host(), db, user, e.getMessage());
                if (!NO_SUCH_DATABASE.equals(e.getSQLState())) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void attach(RecoveryPlan plan) throws RecoveryException {
        int node = plan.target().id();
        if (rt.cluster().snapshot().isAlive(node)) {
            LOG.info("node recovery: node {} was attached meanwhile (auto_failback?)", node);
            return;
        }
        try {
            failover.failback(node, "online recovery").get(FAILBACK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (FailoverRequestException e) {
            throw new RecoveryException(e.getMessage(), e.detail());
        } catch (TimeoutException e) {
            LOG.info("node recovery: waiting for wake up request is timeout({} seconds)", FAILBACK_WAIT_SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("node recovery: the failback of node {} failed: {}", node, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String password(String user) {
        return loginPassword(recoverySecret(rt.config().recoveryPassword(), user, rt.poolPasswd()));
    }

    private boolean md5Hashed(String user) {
        return recoverySecret(rt.config().recoveryPassword(), user, rt.poolPasswd()) instanceof Secret.Md5Hash;
    }

    /**
     * recovery_password as pgpool reads it ({@code TEXT}, {@code AES} and md5 prefixes); empty: the user's
     * pool_passwd entry. Null when there is none.
     */
    static Secret recoverySecret(String configured, String user, PoolPasswd poolPasswd) {
        if (!configured.isEmpty()) {
            try {
                return Secret.of(configured);
            } catch (IllegalArgumentException e) {
                return null; // a malformed SCRAM verifier: no password to log in with
            }
        }
        return poolPasswd == null ? null : poolPasswd.lookup(user).map(PoolPasswdEntry::secret).orElse(null);
    }

    /** The password to log in with; an md5 hash or a SCRAM verifier gives none (pgpool refuses md5 here). */
    static String loginPassword(Secret s) {
        if (s instanceof Secret.PlainText t) {
            return t.password();
        }
        if (s instanceof Secret.Aes a) {
            return AesPasswords.decrypt(a).orElse("");
        }
        return "";
    }
}
