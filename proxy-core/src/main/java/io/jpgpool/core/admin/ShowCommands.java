package io.jpgpool.core.admin;

import io.jpgpool.core.ProxyRuntime;
import io.jpgpool.core.session.ClientSession;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code SHOW pool_*} commands jpgpool answers itself. Only the simple query protocol is intercepted and
 * only when the first statement of the string is the SHOW; the rest of such a string is dropped, as pgpool
 * does (PCP_SPEC 10.1).
 */
public final class ShowCommands {
    private static final Pattern SHOW = Pattern.compile("(?is)\\s*show\\s+(pool_[a-z_]+)\\s*;?\\s*");

    private ShowCommands() {
    }

    public static boolean isPoolCommand(Statement st) {
        return st.kind() == StatementKind.SHOW && command(st) != null;
    }

    private static String command(Statement st) {
        String first = st.multiStatement() ? io.jpgpool.sql.SqlAnalyzer.splitStatements(st.text()).get(0)
                : st.text();
        Matcher m = SHOW.matcher(first);
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "pool_nodes", "pool_version" -> name;
            default -> null;
        };
    }

    /** RowDescription, DataRows and CommandComplete of the command (ReadyForQuery is the caller's). */
    public static ByteBuf run(Statement st, ProxyRuntime rt, ClientSession session) {
        ResultTable t = switch (command(st)) {
            case "pool_nodes" -> AdminViews.poolNodes(rt, session.loadBalanceNode());
            default -> AdminViews.poolVersion();
        };
        return t.encode(ByteBufAllocator.DEFAULT);
    }
}
