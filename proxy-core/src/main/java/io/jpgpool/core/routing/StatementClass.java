package io.jpgpool.core.routing;

/** Pgpool's destination classes (SEMANTICS A.2). */
public enum StatementClass {
    /** Primary only. */
    PRIMARY,
    /** Primary and the session's load-balance node (every alive node under statement-level load balancing). */
    BOTH,
    /** A candidate for load balancing, still subject to the read test and its preconditions (A.3, A.4). */
    EITHER
}
