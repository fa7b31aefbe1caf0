package io.jpgpool.sql;

import java.util.Objects;

/**
 * A possibly schema-qualified name as PostgreSQL's raw parser produces it: unquoted parts folded to
 * lower case, quoted parts exact, each truncated to 63 bytes.
 *
 * <p>{@link #toString()} is {@code name} or {@code schema.name}, the string Pgpool-II matches
 * against {@code write_function_list} / {@code read_only_function_list} after stripping quotes
 * (SEMANTICS A.5). For a three-part name {@code db.schema.name} the catalog part is dropped, as
 * Pgpool-II does.
 *
 * @param schema the schema, or null when the name is unqualified
 * @param name   the object name
 */
public record QualifiedName(String schema, String name) {

    public QualifiedName {
        Objects.requireNonNull(name, "name");
    }

    public static QualifiedName of(String name) {
        return new QualifiedName(null, name);
    }

    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(schema, name);
    }

    public boolean qualified() {
        return schema != null;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
