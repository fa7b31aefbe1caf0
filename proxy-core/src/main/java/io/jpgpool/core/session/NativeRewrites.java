package io.jpgpool.core.session;

import io.jpgpool.core.catalog.TableFacts;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.jpgpool.sql.TimestampRewriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What native replication changes in what the nodes get, so that they store the same values (SEMANTICS B.7,
 * B.8): the main node's time in place of the clock for the other nodes, and the insert lock the main node takes
 * before an INSERT into a table with a sequence. Decided from the statement and the table's catalog facts.
 */
final class NativeRewrites {
    private static final Pattern NO_INSERT_LOCK = Pattern.compile("^\\s*/\\*\\s*NO INSERT LOCK\\s*\\*/",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT_LOCK = Pattern.compile("^\\s*/\\*\\s*INSERT LOCK\\s*\\*/",
            Pattern.CASE_INSENSITIVE);
    /** PostgreSQL's text type: the clock parameter is sent as text. */
    private static final int TEXT_OID = 25;

    private final ProxyRuntime rt;
    private final String database;

    NativeRewrites(ProxyRuntime rt, String database) {
        this.rt = rt;
        this.database = database;
    }

    /** The table an INSERT or UPDATE writes, for the catalog lookup; null otherwise. */
    static QualifiedName target(Statement st) {
        return st.writeTarget();
    }

    private TableFacts facts(Statement st) {
        QualifiedName t = target(st);
        return t == null ? null : rt.catalog().table(database, t);
    }

    private Function<QualifiedName, TimestampRewriter.TableClock> tables(Statement st) {
        TableFacts f = facts(st);
        return name -> f == null ? null : f.clock();
    }

    /**
     * Whether the other nodes must get the main node's time for this statement: a DML statement that reads the
     * clock, or writes a table whose defaults do. Never DDL: {@code DEFAULT now()} in a CREATE TABLE is an
     * expression each node keeps, not a value; nor a read, which runs on one node; nor a multi-statement string.
     */
    boolean readsClock(Statement st) {
        if (st.multiStatement() || st.malformed()) {
            return false;
        }
        boolean dml = switch (st.kind()) {
            case INSERT, UPDATE, DELETE, MERGE -> true;
            case SELECT, VALUES, TABLE -> !st.syntacticRead() || st.lockingClause() || st.selectInto();
            default -> false;
        };
        if (!dml) {
            return false;
        }
        TableFacts f = facts(st);
        return st.textReadsClock() || f != null && !f.clock().defaults().isEmpty();
    }

    /** A simple Query for the other nodes, with the main node's time in it; null when it needs none. */
    Function<String, ByteBuf> simpleQuery(Statement st, ByteBufAllocator alloc) {
        if (!readsClock(st)) {
            return null;
        }
        Function<QualifiedName, TimestampRewriter.TableClock> tables = tables(st);
        return clock -> {
            ByteBuf out = alloc.buffer();
            new Query(TimestampRewriter.rewrite(st.text(), "'" + clock + "'", tables).text()).encode(out);
            return out;
        };
    }

    /**
     * For a Parse of a statement that reads the clock: the Parse the other nodes get, whose text has the clock as
     * one more parameter (every Bind of it then carries the main node's time); null when it needs none.
     */
    ByteBuf parseForOthers(Parse p, Statement st, ByteBufAllocator alloc) {
        if (!readsClock(st)) {
            return null;
        }
        int param = Math.max(TimestampRewriter.highestParameter(p.query()), p.parameterTypes().length) + 1;
        String text = TimestampRewriter.rewrite(p.query(), "$" + param, tables(st)).text();
        int[] types = Arrays.copyOf(p.parameterTypes(), param);
        types[param - 1] = TEXT_OID;
        ByteBuf out = alloc.buffer();
        new Parse(p.name(), text, types).encode(out);
        return out;
    }

    /** A Bind of a statement whose text got the clock parameter: the same Bind with the time appended. */
    static Function<String, ByteBuf> bindForOthers(ByteBuf bind, ByteBufAllocator alloc) {
        return clock -> Bind.withTextParameter(bind, clock, alloc.buffer());
    }

    /**
     * The statements the main node runs before the unit so that concurrent INSERTs draw sequence values in the
     * same order on every node (SEMANTICS B.7): pgpool's row lock in pgpool_catalog.insert_lock when that table
     * exists, else a table lock; {@code /*NO INSERT LOCK*}{@code /} and {@code /*INSERT LOCK*}{@code /} as in
     * pgpool.
     */
    List<String> insertLocks(List<Statement> statements) {
        List<String> locks = new ArrayList<>();
        for (Statement st : statements) {
            if (st.kind() != StatementKind.INSERT || st.multiStatement()
                    || NO_INSERT_LOCK.matcher(st.text()).find()) {
                continue;
            }
            TableFacts f = facts(st);
            if (f == null || !f.exists()) {
                continue;
            }
            boolean forced = INSERT_LOCK.matcher(st.text()).find();
            if (!forced && !(rt.config().insertLock() && f.usesSequence())) {
                continue;
            }
            Boolean rowLocks = rt.catalog().hasInsertLockTable(database);
            if (!forced && Boolean.TRUE.equals(rowLocks)) {
                locks.add("INSERT INTO pgpool_catalog.insert_lock VALUES (" + f.oid() + ") ON CONFLICT DO NOTHING; "
                        + "SELECT 1 FROM pgpool_catalog.insert_lock WHERE reloid = " + f.oid() + " FOR UPDATE");
            } else {
                locks.add("LOCK TABLE " + quoted(target(st)) + " IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        return locks;
    }

    private static String quoted(QualifiedName n) {
        String name = "\"" + n.name().replace("\"", "\"\"") + "\"";
        return n.schema() == null ? name : "\"" + n.schema().replace("\"", "\"\"") + "\"." + name;
    }
}
