package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.logging.LogContext;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SELECT pg_terminate_backend(pid)} sent through jpgpool, as Pgpool-II notes it: when the pid is the
 * backend of one of its sessions' connections, that connection is flagged, so that its end closes its session
 * with the backend's own FATAL, without a probe of the node (a killed backend is no failed node).
 */
final class TerminateRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TerminateRequests.class);

    private TerminateRequests() {
    }

    static void note(ProxyRuntime rt, int pid) {
        for (SessionHandle s : rt.sessions().all()) {
            for (BackendConnection c : s.backendConnections()) {
                if (c != null && c.processId() == pid) {
                    c.terminateRequested();
                    LOG.atInfo().addKeyValue(LogContext.DETAIL, "setting the connection flag")
                            .log("found the pg_terminate_backend request for backend pid:{} on backend node:{}", pid,
                                    c.nodeId());
                    return;
                }
            }
        }
        LOG.info("found the pg_terminate_backend request for backend pid:{}, but the backend connection does not "
                + "belong to pgpool-II", pid);
    }
}
