package io.jpgpool.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A word of {@code log_destination}: pgpool's {@code stderr} and {@code syslog}, and {@code jsonlog} (PostgreSQL
 * 15's name) for one JSON object per line on stderr.
 */
public enum LogDestination {
    STDERR,
    SYSLOG,
    JSONLOG;

    /** The comma-separated list; an unknown word is an error, as in pgpool. */
    static Set<LogDestination> parseList(String text) throws InvalidValueException {
        EnumSet<LogDestination> out = EnumSet.noneOf(LogDestination.class);
        for (String word : ValueTypes.splitList(text == null ? "" : text, ',', false)) {
            try {
                out.add(valueOf(word.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw InvalidValueException.of(text, "unknown destination \"" + word
                        + "\" (expected stderr, syslog or jsonlog)");
            }
        }
        if (out.isEmpty()) {
            throw InvalidValueException.of(text, "no destination (expected stderr, syslog or jsonlog)");
        }
        return out;
    }
}
