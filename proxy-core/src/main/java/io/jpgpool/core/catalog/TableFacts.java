package io.jpgpool.core.catalog;

import io.jpgpool.sql.TimestampRewriter;

/**
 * What native replication needs to know of a table written to (SEMANTICS B.7, B.8): its oid, the columns whose
 * default reads the clock, and whether a column takes its default from a sequence (SERIAL, IDENTITY), which
 * makes an INSERT take the insert lock. {@link #NONE} for a table that does not exist.
 */
public record TableFacts(long oid, TimestampRewriter.TableClock clock, boolean usesSequence) {
    public static final TableFacts NONE = new TableFacts(0, new TimestampRewriter.TableClock(
            java.util.List.of(), java.util.List.of()), false);

    public boolean exists() {
        return oid != 0;
    }
}
