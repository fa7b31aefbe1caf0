package io.jpgpool.core.session;

import io.jpgpool.sql.DiscardTarget;
import io.jpgpool.sql.SetCommand;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The session-level settings a client changed with SET and RESET, in order: a connection the session opens
 * later (to a load-balance node chosen per statement, or to a node attached after a failback or an online
 * recovery) gets them first, so that every node of the session runs with the same settings. Pgpool-II connects
 * to every node at the start of a session and so never needs this. {@code SET LOCAL} and
 * {@code SET TRANSACTION} end with their transaction and are not kept; {@code RESET ALL} and
 * {@code DISCARD ALL} forget everything. A SET in a transaction that is rolled back is still replayed (a rare
 * case, and harmless for the settings clients change: search_path, work_mem, time zone...). A SET inside a
 * multi-statement Query is not kept.
 */
final class SessionSettings {
    /** The context of the replay's request: its ReadyForQuery is the connection's, not the client's. */
    static final Object REPLAY = new Object();

    private final List<String> statements = new ArrayList<>();

    /** A statement succeeded; what it changed is remembered. */
    void executed(Statement st) {
        if (st.multiStatement()) {
            return;
        }
        if (st.kind() == StatementKind.DISCARD && st.discardTarget() == DiscardTarget.ALL) {
            statements.clear();
            return;
        }
        if (st.kind() != StatementKind.SET && st.kind() != StatementKind.RESET) {
            return;
        }
        SetCommand set = st.setCommand();
        if (set == null) {
            return;
        }
        if (set.kind() == SetCommand.Kind.RESET_ALL) {
            statements.clear();
        } else if (!set.local() && set.kind() != SetCommand.Kind.MULTI) {
            statements.add(st.text().strip());
        }
    }

    /** The statements that bring a new connection to the session's settings, as one Query; null when none. */
    String replay() {
        if (statements.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String s : statements) {
            sb.append(s);
            if (!s.endsWith(";")) {
                sb.append(';');
            }
            sb.append(' ');
        }
        return sb.toString().strip();
    }
}
