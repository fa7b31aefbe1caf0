package io.jpgpool.core.recovery;

import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.protocol.SqlState;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client sessions as an online recovery's second stage holds them (SEMANTICS D.3 step 4): the runtime's
 * admission gate closes, so new clients and sessions between transactions wait; sessions in a transaction
 * finish it first. {@code client_idle_limit_in_recovery} ends the sessions that keep a transaction open with an
 * idle client: -1 at once, N seconds after the client last sent something.
 */
public final class SessionsGate implements ClientGate {
    private static final Logger LOG = LoggerFactory.getLogger(SessionsGate.class);
    private final ProxyRuntime rt;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> idleCheck;

    public SessionsGate(ProxyRuntime rt) {
        this.rt = rt;
    }

    @Override
    public synchronized void hold(int clientIdleLimitInRecovery) {
        rt.gate().hold();
        LOG.info("online recovery: new clients wait, and sessions wait at their next transaction boundary");
        if (clientIdleLimitInRecovery == -1) {
            for (SessionHandle s : rt.sessions().all()) {
                s.terminate(SqlState.OPERATOR_INTERVENTION, "unable to read data from frontend",
                        "child connection forced to terminate due to client_idle_limit_in_recovery:-1 is reached");
            }
        } else if (clientIdleLimitInRecovery > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jpgpool-recovery-idle-check");
                t.setDaemon(true);
                return t;
            });
            idleCheck = timer.scheduleAtFixedRate(() -> endIdle(clientIdleLimitInRecovery), 1, 1, TimeUnit.SECONDS);
        }
    }

    private void endIdle(int limit) {
        for (SessionHandle s : rt.sessions().all()) {
            if (s.busy() && s.idleSeconds() >= limit) {
                s.terminate(SqlState.OPERATOR_INTERVENTION, "unable to read data from frontend",
                        "child connection forced to terminate due to client_idle_limit_in_recovery:" + limit
                                + " is reached");
            }
        }
    }

    @Override
    public int activeSessions() {
        int n = 0;
        for (SessionHandle s : rt.sessions().all()) {
            if (s.busy()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void endActiveSessions() {
        for (SessionHandle s : rt.sessions().all()) {
            if (s.busy()) {
                s.terminate(SqlState.ADMIN_SHUTDOWN, "terminating connection for online recovery",
                        "the session was still in a transaction when recovery_timeout passed");
            }
        }
    }

    @Override
    public synchronized void release() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            timer.shutdownNow();
            idleCheck = null;
        }
        int waiting = rt.gate().waiting();
        rt.gate().release();
        LOG.info("online recovery: clients go on ({} were waiting)", waiting);
    }
}
