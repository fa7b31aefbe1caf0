package io.jpgpool.sql;

/** What a {@code DISCARD} statement discards ({@code TEMPORARY} is {@link #TEMP}). */
public enum DiscardTarget {
    ALL,
    PLANS,
    SEQUENCES,
    TEMP
}
