package io.jpgpool.core.admin;

import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.LocalCommands;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands jpgpool answers itself on the SQL port: {@code SHOW pool_*} and {@code PGPOOL SHOW name|ALL}, and
 * a clear error for {@code PGPOOL SET CACHE ...} (Pgpool-II 4.6).
 * Only the simple query protocol is intercepted and only when the first statement of the string is the
 * command; the rest of such a string is dropped, as pgpool does (PCP_SPEC 10.1). Everything is read through
 * the {@link AdminApi}, so these views agree with the PCP tools.
 */
public final class ShowCommands implements LocalCommands {
    private static final Pattern SHOW = Pattern.compile("(?is)show\\s+(\"[^\"]*\"|[a-z_][a-z0-9_$]*)\\s*;?\\s*");
    private static final Pattern PGPOOL_SHOW = Pattern.compile(
            "(?is)pgpool\\s+show\\s+(\"[^\"]*\"|[a-z_][a-z0-9_$]*)\\s*;?\\s*");
    /** Pgpool-II 4.6's {@code PGPOOL SET CACHE DELETE 'query'}, which 4.3 does not have. */
    private static final Pattern PGPOOL_SET_CACHE = Pattern.compile("(?is)pgpool\\s+set\\s+cache\\b.*");


    /** A recognised command: what to show, and whether it is a PGPOOL SHOW (or the refused PGPOOL SET CACHE). */
    private record Command(String name, boolean pgpoolShow, boolean setCache) {
        Command(String name, boolean pgpoolShow) {
            this(name, pgpoolShow, false);
        }
    }

    /** Where the commands that ask the nodes run. */
    private static final Executor SLOW = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jpgpool-show");
        t.setDaemon(true);
        return t;
    });

    private final ProxyRuntime rt;
    private final AdminApi admin;

    /** The commands of the SQL port, reading through {@code admin} (the server's own, so PCP agrees). */
    public ShowCommands(ProxyRuntime rt, AdminApi admin) {
        this.rt = rt;
        this.admin = admin;
    }

    @Override
    public boolean handles(Statement st) {
        return isPoolCommand(st);
    }

    @Override
    public ByteBuf run(Statement st, SessionHandle session) {
        return run(st, rt, admin, session.loadBalanceNode());
    }

    /** SHOW pool_nodes asks every node (and may wait for a failover): off the event loop. */
    @Override
    public CompletableFuture<ByteBuf> runLater(Statement st, SessionHandle session) {
        Command c = command(st);
        if (c == null || c.pgpoolShow() || !"pool_nodes".equals(c.name())) {
            return CompletableFuture.completedFuture(run(st, session));
        }
        int lb = session.loadBalanceNode();
        return CompletableFuture.supplyAsync(() -> run(st, rt, admin, lb), SLOW);
    }

    public static boolean isPoolCommand(Statement st) {
        return command(st) != null;
    }

    private static Command command(Statement st) {
        boolean show = st.kind() == StatementKind.SHOW;
        if (!show && st.kind() != StatementKind.OTHER) {
            return null;
        }
        String first = skipComments(st.multiStatement() ? SqlAnalyzer.splitStatements(st.text()).get(0)
                : st.text());
        if (!show && PGPOOL_SET_CACHE.matcher(first).matches()) {
            return new Command("cache", true, true);
        }
        Matcher m = (show ? SHOW : PGPOOL_SHOW).matcher(first);
        if (!m.matches()) {
            return null;
        }
        String name = identifier(m.group(1));
        if (!show) {
            return new Command(name, true);
        }
        return switch (name) {
            case "pool_nodes", "pool_processes", "pool_pools", "pool_status", "pool_version", "pool_cache",
                    "pool_health_check_stats", "pool_backend_stats" -> new Command(name, false);
            default -> null;
        };
    }

    /** An identifier as the parser gives it: unquoted ones folded to lower case, quoted ones as written. */
    private static String identifier(String token) {
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        return token.toLowerCase(Locale.ROOT);
    }

    /** The text after leading white space and comments ({@code --} and nested {@code /* *}{@code /}). */
    static String skipComments(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    /**
     * RowDescription, DataRows and CommandComplete of the command, or an ErrorResponse (ReadyForQuery is the
     * caller's).
     */
    static ByteBuf run(Statement st, ProxyRuntime rt, AdminApi admin, int loadBalanceNode) {
        Command c = command(st);
        if (c.setCache()) {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            ErrorResponse.error(SqlState.FEATURE_NOT_SUPPORTED, "PGPOOL SET CACHE is not supported",
                    "jpgpool follows Pgpool-II 4.3, which has no PGPOOL SET CACHE; pcp_invalidate_query_cache "
                            + "(bin/jpcp invalidate_query_cache) drops the whole query cache").encode(out);
            return out;
        }
        ResultTable t;
        if (c.pgpoolShow()) {
            try {
                t = AdminViews.pgpoolShow(rt.config(), c.name());
            } catch (AdminException e) {
                ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
                ErrorResponse.error(SqlState.UNDEFINED_OBJECT, e.getMessage(), e.detail()).encode(out);
                return out;
            }
        } else {
            t = switch (c.name()) {
                case "pool_nodes" -> AdminViews.poolNodes(admin.nodesForSession(), loadBalanceNode);
                case "pool_processes" -> AdminViews.poolProcesses(admin);
                case "pool_pools" -> AdminViews.poolPools(admin);
                case "pool_status" -> AdminViews.poolStatus(admin);
                case "pool_cache" -> AdminViews.poolCache(admin.queryCacheStats());
                case "pool_health_check_stats" -> AdminViews.poolHealthCheckStats(admin);
                case "pool_backend_stats" -> AdminViews.poolBackendStats(admin);
                default -> AdminViews.poolVersion(admin);
            };
        }
        return t.encode(ByteBufAllocator.DEFAULT);
    }
}
