package io.jpgpool.core.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * How a jpgpool client session is reported where Pgpool-II reports a child process (pcp_proc_count,
 * pcp_proc_info, SHOW pool_processes, SHOW pool_pools).
 *
 * <ul>
 *   <li>Only live sessions are listed: jpgpool has no idle pre-forked children, so there is nothing to report
 *       as "Wait for connection". With no client connected the lists are empty. SHOW pool_processes adds one
 *       row per client waiting in jpgpool's queue for a slot ({@link #QUEUED}).</li>
 *   <li>The "pid" is the session id: stable for the session's life, unique among live sessions, and the process
 *       id in the BackendKeyData the client received (so it is what {@code pg_cancel_backend}-style tooling and
 *       the client library already know).</li>
 *   <li>Each session has {@code max_pool x nodes} slots, pool_id-major as pgpool orders them. The session's live
 *       backend connections are in pool_id 0, one slot per node; every other slot is empty. A node the session
 *       has no connection to has an empty slot in pool_id 0 too.</li>
 *   <li>client_connection_count is 0 (pgpool counts finished clients of a child; a session has one client);
 *       start_time never carries "before process restarting" (sessions are not recycled); pool_counter is how
 *       many sessions have used the backend connection (1 = opened for this one).</li>
 * </ul>
 */
public final class ProcessSlots {
    private ProcessSlots() {
    }

    /** The {@code maxPool x nodes} slots of one session. {@code clientIdleLimit} in seconds, 0 = off. */
    public static List<PoolSlot> of(SessionInfo s, int maxPool, int nodes, int clientIdleLimit) {
        int pools = Math.max(1, maxPool);
        String pid = String.valueOf(s.id());
        String start = AdminViews.time(s.startTime());
        List<PoolSlot> slots = new ArrayList<>(pools * nodes);
        for (int pool = 0; pool < pools; pool++) {
            long idle = pool == 0 ? s.idleSeconds() : 0;
            for (int node = 0; node < nodes; node++) {
                SessionInfo.BackendInfo b = pool == 0 ? backend(s, node) : null;
                String idleText = String.valueOf(idle);
                if (b != null && clientIdleLimit > 0) {
                    long left = clientIdleLimit - idle;
                    idleText = idle + " (" + left / 60 + ":" + twoDigits(left % 60) + " before client disconnected)";
                }
                slots.add(new PoolSlot(pid, start, "0", String.valueOf(pool), String.valueOf(node),
                        b == null ? "" : nullToEmpty(s.database()),
                        b == null ? "" : nullToEmpty(s.user()),
                        b == null ? "" : AdminViews.time(b.connectionTime()),
                        b == null ? "" : AdminViews.time(s.clientConnectionTime()),
                        "",
                        idleText,
                        b == null ? "0" : "3",
                        "0",
                        b == null ? "0" : String.valueOf(b.reuseCount() + 1),
                        b == null ? "0" : String.valueOf(b.backendPid()),
                        b == null ? "0" : "1",
                        s.status()));
            }
        }
        return slots;
    }

    /**
     * One SHOW pool_processes row: database, user, backend connection time and pool counter come from the
     * session's first backend connection (lowest node id), as pgpool takes them from the first live slot.
     */
    public static List<String> processRow(SessionInfo s) {
        SessionInfo.BackendInfo first = null;
        for (SessionInfo.BackendInfo b : s.backends()) {
            if (first == null || b.nodeId() < first.nodeId()) {
                first = b;
            }
        }
        boolean live = first != null && s.database() != null && !s.database().isEmpty() && s.user() != null
                && !s.user().isEmpty();
        return List.of(String.valueOf(s.id()), AdminViews.time(s.startTime()), "0",
                live ? s.database() : "", live ? s.user() : "",
                live ? AdminViews.time(first.connectionTime()) : "",
                live ? String.valueOf(first.reuseCount() + 1) : "",
                s.status());
    }

    /** The status of a client waiting for a slot in jpgpool's queue (Pgpool-II's waits unseen in the backlog). */
    public static final String QUEUED = "Wait in connection queue";

    /** One SHOW pool_processes row of a client beyond num_init_children: since when it waits, no backend. */
    public static List<String> queuedRow(io.jpgpool.core.runtime.SessionRegistry.QueuedClient q) {
        return List.of(String.valueOf(q.id()), AdminViews.time(q.since()), "0", nullToEmpty(q.database()),
                nullToEmpty(q.user()), "", "", QUEUED);
    }

    private static SessionInfo.BackendInfo backend(SessionInfo s, int node) {
        for (SessionInfo.BackendInfo b : s.backends()) {
            if (b.nodeId() == node) {
                return b;
            }
        }
        return null;
    }

    private static String twoDigits(long v) {
        return v < 10 && v >= 0 ? "0" + v : String.valueOf(v);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
