package io.jpgpool.core.cache;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the query cache knows of a relation name as a statement writes it: every relation of that name (in any
 * schema when the name is unqualified, so that no session's search_path can make it another one), and what
 * reading or writing them reaches beyond the name itself.
 *
 * @param matches      the relations of that name; empty when there is none
 * @param readClosure  what a read of them also reads: the relations under a view (again and again), the
 *                     partitions and inheritance children
 * @param writeClosure what a write to them may also change: the partitions and children, the tables under a view,
 *                     the tables whose foreign keys cascade from them (SET NULL, SET DEFAULT, CASCADE)
 */
public record RelationFacts(List<Relation> matches, List<Relation> readClosure, List<Relation> writeClosure) {
    /** No relation of that name. */
    public static final RelationFacts MISSING = new RelationFacts(List.of(), List.of(), List.of());

    public RelationFacts {
        matches = List.copyOf(matches);
        readClosure = List.copyOf(readClosure);
        writeClosure = List.copyOf(writeClosure);
    }

    public boolean exists() {
        return !matches.isEmpty();
    }

    /** The relation names whose writes must drop a result that read this name. */
    public Set<String> readNames() {
        return names(matches, readClosure);
    }

    /** The relation names whose cached results a write to this name must drop. */
    public Set<String> writeNames() {
        return names(matches, writeClosure);
    }

    /** A write here runs a user trigger or rule somewhere, which may write anything. */
    public boolean writeRunsUserCode() {
        for (Relation r : matches) {
            if (r.userTriggersOrRules()) {
                return true;
            }
        }
        for (Relation r : writeClosure) {
            if (r.userTriggersOrRules()) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> names(List<Relation> a, List<Relation> b) {
        Set<String> s = new LinkedHashSet<>();
        a.forEach(r -> s.add(r.name()));
        b.forEach(r -> s.add(r.name()));
        return s;
    }

    /**
     * One row of pg_class.
     *
     * @param kind         {@code relkind}: r table, p partitioned table, v view, m materialized view, f foreign
     *                     table, S sequence, ...
     * @param persistence  {@code relpersistence}: p permanent, u unlogged, t temporary
     */
    public record Relation(String schema, String name, char kind, char persistence, boolean rowSecurity,
                           boolean userTriggersOrRules) {
        public boolean temporary() {
            return persistence == 't' || schema.startsWith("pg_temp");
        }

        public boolean unlogged() {
            return persistence == 'u';
        }

        /** pg_catalog, information_schema and the TOAST schemas: their rows change without a write by anyone. */
        public boolean systemCatalog() {
            return schema.equals("pg_catalog") || schema.equals("information_schema") || schema.startsWith("pg_toast");
        }

        /** A view, a materialized view or a foreign table: cached only when cache_safe_memqcache_table_list says so. */
        public boolean needsSafeList() {
            return kind == 'v' || kind == 'm' || kind == 'f' || persistence == 'u';
        }

        public boolean sequence() {
            return kind == 'S';
        }

        @Override
        public String toString() {
            return schema + "." + name;
        }
    }
}
