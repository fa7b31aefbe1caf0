package io.jpgpool.config;

import java.util.function.Consumer;

/**
 * How one kind of parameter value is read from pgpool.conf text and printed back.
 *
 * @param <T> the Java type of the value
 */
interface ValueType<T> {

    ParamType type();

    Class<?> valueClass();

    /**
     * Reads a value. {@code warn} receives notes that do not stop loading (e.g. a deprecated
     * spelling inside the value).
     */
    T parse(String text, Consumer<String> warn) throws InvalidValueException;

    /** The value as {@code PGPOOL SHOW} prints it; {@code raw} is the text it came from (may be null). */
    String show(T value, String raw);

    /** The value as pool_status prints it (PCP_SPEC Appendix A value formats). */
    String status(T value, String raw);

    /** What two values are compared by (patterns have identity equality). */
    default Object key(T value) {
        return value;
    }

    default Number min() {
        return null;
    }

    default Number max() {
        return null;
    }

    default Unit unit() {
        return Unit.NONE;
    }
}
