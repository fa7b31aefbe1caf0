package io.jpgpool.core.cache;

/**
 * What the query cache knows of a function name (SEMANTICS F.3), over every overload and, for an unqualified
 * name, every schema, as pgpool's {@code function_volatile_property} and {@code function_has_return_type} count.
 *
 * @param exists               some function of that name exists
 * @param immutable            some overload is IMMUTABLE (pgpool then calls the name immutable)
 * @param volatileFunction     some overload is VOLATILE: it may write, so a call invalidates like a write
 * @param returnsTimeZoneType  some overload returns {@code timestamptz} or {@code timetz}
 */
public record FunctionFacts(boolean exists, boolean immutable, boolean volatileFunction,
                            boolean returnsTimeZoneType) {
    /** No such function: a call fails, so nothing is cached. */
    public static final FunctionFacts MISSING = new FunctionFacts(false, false, false, false);

    /** Whether a call of it may be in a cached result. */
    public boolean cacheable() {
        return exists && immutable && !returnsTimeZoneType;
    }
}
