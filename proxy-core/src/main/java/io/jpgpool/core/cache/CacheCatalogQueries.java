package io.jpgpool.core.cache;

import io.jpgpool.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog look-ups behind {@link CacheCatalog}: one query for a list of functions, one for a list of
 * relations, and the facts read back from their rows (text format, in the order the query returns them). The
 * session runs them on a connection of its own user and database, as it runs routing's look-ups.
 *
 * <p>Names are matched by name, in every schema when unqualified (pgpool: {@code nspname ~ '.*'} for
 * functions), never through a search_path: the facts hold for every session of the database.
 */
public final class CacheCatalogQueries {
    private CacheCatalogQueries() {
    }

    /** One row per function: {@code i, exists, some IMMUTABLE, some VOLATILE, some returns timestamptz/timetz}. */
    public static String functionQuery(List<QualifiedName> functions) {
        return "SELECT v.i, count(p.oid) > 0, COALESCE(bool_or(p.provolatile = 'i'), false),"
                + " COALESCE(bool_or(p.provolatile = 'v'), false),"
                + " COALESCE(bool_or(p.prorettype IN ('pg_catalog.timestamptz'::pg_catalog.regtype,"
                + " 'pg_catalog.timetz'::pg_catalog.regtype)), false)"
                + " FROM (VALUES " + values(functions) + ") AS v(i, s, n)"
                + " LEFT JOIN (pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace ns ON ns.oid = p.pronamespace)"
                + " ON p.proname = v.n AND (v.s IS NULL OR ns.nspname = v.s)"
                + " GROUP BY v.i ORDER BY v.i /* jpgpool query cache */";
    }

    /**
     * Rows {@code i, side (f read, t write), root, relkind, relpersistence, relrowsecurity, nspname, relname,
     * user triggers or rules}: each relation of each name (root), then what reading it reaches (views' relations,
     * partitions and inheritance children) and what writing it reaches (the same, plus tables whose foreign keys
     * cascade from it), transitively.
     */
    public static String relationQuery(List<QualifiedName> relations) {
        String reach = "SELECT k.refobjid AS oid FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_depend k"
                + " ON k.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND k.objid = r.oid"
                + " AND k.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND k.refobjid <> d.oid"
                + " WHERE r.ev_class = d.oid"
                + " UNION SELECT h.inhrelid FROM pg_catalog.pg_inherits h WHERE h.inhparent = d.oid"
                + " UNION SELECT f.conrelid FROM pg_catalog.pg_constraint f WHERE d.w AND f.contype = 'f'"
                + " AND f.confrelid = d.oid AND (f.confdeltype IN ('c', 'n', 'd') OR f.confupdtype IN ('c', 'n', 'd'))";
        return "WITH RECURSIVE v(i, s, n) AS (VALUES " + values(relations) + "),"
                + " d(i, w, oid, depth) AS ("
                + "SELECT v.i, x.w, c.oid, 0 FROM v CROSS JOIN (VALUES (false), (true)) AS x(w)"
                + " JOIN pg_catalog.pg_class c ON c.relname = v.n"
                + " JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace AND (v.s IS NULL OR ns.nspname = v.s)"
                + " UNION SELECT d.i, d.w, x.oid, d.depth + 1 FROM d CROSS JOIN LATERAL (" + reach + ") AS x"
                + " WHERE d.depth < 16)"
                + " SELECT DISTINCT d.i, d.w, d.depth = 0, c.relkind, c.relpersistence, c.relrowsecurity, ns.nspname,"
                + " c.relname, EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid"
                + " AND NOT t.tgisinternal) OR EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid"
                + " AND r.rulename <> '_RETURN')"
                + " FROM d JOIN pg_catalog.pg_class c ON c.oid = d.oid"
                + " JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace ORDER BY 1, 2, 3 DESC, 7, 8"
                + " /* jpgpool query cache */";
    }

    /** The facts of each asked function, from {@link #functionQuery}'s rows. */
    public static Map<QualifiedName, FunctionFacts> functions(List<QualifiedName> asked, List<List<String>> rows) {
        Map<QualifiedName, FunctionFacts> out = new LinkedHashMap<>();
        for (List<String> r : rows) {
            QualifiedName f = asked.get(Integer.parseInt(r.get(0)));
            out.put(f, new FunctionFacts(t(r.get(1)), t(r.get(2)), t(r.get(3)), t(r.get(4))));
        }
        for (QualifiedName f : asked) {
            out.putIfAbsent(f, FunctionFacts.MISSING);
        }
        return out;
    }

    /** The facts of each asked relation, from {@link #relationQuery}'s rows; a name without rows does not exist. */
    public static Map<QualifiedName, RelationFacts> relations(List<QualifiedName> asked, List<List<String>> rows) {
        Map<Integer, List<List<RelationFacts.Relation>>> parts = new HashMap<>();
        for (List<String> r : rows) {
            int i = Integer.parseInt(r.get(0));
            boolean write = t(r.get(1));
            boolean root = t(r.get(2));
            RelationFacts.Relation rel = new RelationFacts.Relation(r.get(6), r.get(7), r.get(3).charAt(0),
                    r.get(4).charAt(0), t(r.get(5)), t(r.get(8)));
            List<List<RelationFacts.Relation>> p = parts.computeIfAbsent(i,
                    k -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            if (root) {
                if (!write) {
                    p.get(0).add(rel);
                }
            } else {
                p.get(write ? 2 : 1).add(rel);
            }
        }
        Map<QualifiedName, RelationFacts> out = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            List<List<RelationFacts.Relation>> p = parts.get(i);
            out.put(asked.get(i), p == null ? RelationFacts.MISSING : new RelationFacts(p.get(0), p.get(1), p.get(2)));
        }
        return out;
    }

    private static String values(List<QualifiedName> names) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            QualifiedName n = names.get(i);
            v.append(i == 0 ? "" : ", ").append('(').append(i).append(", ")
                    .append(n.schema() == null ? "NULL::text" : literal(n.schema())).append(", ")
                    .append(literal(n.name())).append(')');
        }
        return v.toString();
    }

    private static String literal(String s) {
        return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static boolean t(String value) {
        return "t".equals(value);
    }
}
