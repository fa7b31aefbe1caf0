package io.jpgpool.core.cache;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a cached result is found by, as pgpool builds it (SEMANTICS F.2: user, query text exactly as received,
 * database; for the extended protocol also the Bind message's parameter part), plus the session settings that
 * change the bytes of an answer ({@link SessionSettings}: search_path, client_encoding, DateStyle...), which
 * pgpool leaves out.
 *
 * <p>Compared exactly, not by a digest: two keys are equal only when every part is.
 */
public final class CacheKey {
    private final String user;
    private final String database;
    private final String settings;
    private final String query;
    /** Extended protocol: the Parse parameter types and the Bind parameter part; null for a simple Query. */
    private final byte[] bound;
    private final int hash;

    CacheKey(String user, String database, String settings, String query, byte[] bound) {
        this.user = Objects.requireNonNull(user);
        this.database = Objects.requireNonNull(database);
        this.settings = Objects.requireNonNull(settings);
        this.query = Objects.requireNonNull(query);
        this.bound = bound;
        int h = query.hashCode();
        h = 31 * h + user.hashCode();
        h = 31 * h + database.hashCode();
        h = 31 * h + settings.hashCode();
        this.hash = 31 * h + (bound == null ? 0 : Arrays.hashCode(bound));
    }

    public String user() {
        return user;
    }

    public String database() {
        return database;
    }

    public String query() {
        return query;
    }

    /** Whether this key is an extended-protocol one (its answer has no RowDescription). */
    public boolean extended() {
        return bound != null;
    }

    /** Bytes this key holds on the heap, roughly (headers, the strings' Latin-1 or UTF-16 arrays, the array). */
    int weight() {
        return 64 + 2 * (query.length() + user.length() + database.length() + settings.length())
                + (bound == null ? 0 : 16 + bound.length);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof CacheKey k && hash == k.hash && query.equals(k.query) && user.equals(k.user)
                && database.equals(k.database) && settings.equals(k.settings) && Arrays.equals(bound, k.bound);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return user + "@" + database + (settings.isEmpty() ? "" : " [" + settings + "]") + ": " + query
                + (bound == null ? "" : " (" + bound.length + " bound bytes)");
    }
}
