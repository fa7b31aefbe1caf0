package io.jpgpool.core.cache;

import io.jpgpool.sql.QualifiedName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions of PostgreSQL 15's pg_catalog as the query cache sees them (a table generated from the
 * catalog, so {@code now()}, {@code abs()} or {@code to_timestamp()} never need a lookup). None of them writes a
 * table a cached result can read (sequences and large objects are never cached), so none counts as volatile here.
 */
final class BuiltinFunctions {
    private static final Map<String, FunctionFacts> PG_CATALOG = load();

    private BuiltinFunctions() {
    }

    /**
     * The facts of {@code f} when pg_catalog decides them, else null. An unqualified name that pg_catalog has is
     * decided by pg_catalog's overloads alone: pgpool counts overloads of every schema, and a user function that
     * shadows a built-in name is too rare to ask about each time.
     */
    static FunctionFacts get(QualifiedName f) {
        if (f.schema() == null) {
            return PG_CATALOG.get(f.name());
        }
        if (f.schema().equals("pg_catalog")) {
            return PG_CATALOG.getOrDefault(f.name(), FunctionFacts.MISSING);
        }
        return null;
    }

    private static Map<String, FunctionFacts> load() {
        Map<String, FunctionFacts> m = new HashMap<>();
        try (InputStream in = BuiltinFunctions.class.getResourceAsStream("pg_catalog_functions.txt")) {
            if (in == null) {
                throw new IllegalStateException("pg_catalog_functions.txt is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                String flags = line.substring(sp + 1);
                m.put(line.substring(0, sp), new FunctionFacts(true, flags.indexOf('i') >= 0, false,
                        flags.indexOf('t') >= 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
