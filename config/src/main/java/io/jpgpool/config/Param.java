package io.jpgpool.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One pgpool.conf parameter: its name, value type, default, range, unit, when a change takes
 * effect, its pool_status description, and whether jpgpool acts on it yet. The constants are in
 * {@link Params}; values are read with {@link PgpoolConfig#get(Param)}.
 *
 * @param <T> the Java type of the value ({@link #valueClass()})
 */
public final class Param<T> {

    /** Whether the parameter has per-node forms ({@code name0}, {@code name1}...). */
    public enum Scope {
        /** Only {@code name}. */
        GLOBAL,
        /** Only {@code nameN} ({@code backend_hostnameN}, watchdog {@code hostnameN}...). */
        PER_NODE,
        /** {@code name} is the default for nodes without {@code nameN} (the health-check parameters). */
        GLOBAL_AND_PER_NODE
    }

    private final String name;
    private final String key;
    private final ValueType<T> valueType;
    private final String defaultText;
    private final T defaultValue;
    private final Context context;
    private final String description;
    private final boolean supported;
    private final Scope scope;
    private final boolean secret;

    Param(String name, ValueType<T> valueType, String defaultText, T defaultValue, Context context,
          String description, boolean supported, Scope scope, boolean secret) {
        this.name = name;
        this.key = name.toLowerCase(Locale.ROOT);
        this.valueType = valueType;
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.context = context;
        this.description = description;
        this.supported = supported;
        this.scope = scope;
        this.secret = secret;
    }

    /** The name as pgpool spells it ({@code delegate_IP}); for per-node parameters without the index. */
    public String name() {
        return name;
    }

    /** The name of the node-{@code node} form ({@code backend_port1}). */
    public String nameFor(int node) {
        return name + node;
    }

    /** The lower-case name that settings are stored under. */
    String key() {
        return key;
    }

    public ParamType type() {
        return valueType.type();
    }

    /** The Java type of values: Boolean, Integer, Long, Double, String, an enum, List or Set. */
    public Class<?> valueClass() {
        return valueType.valueClass();
    }

    /** The default value; null only for the unset string parameters (printed "(null)" by pool_status). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as pgpool.conf text; empty for an unset default. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    String rawDefault() {
        return defaultText;
    }

    public Optional<Number> min() {
        return Optional.ofNullable(valueType.min());
    }

    public Optional<Number> max() {
        return Optional.ofNullable(valueType.max());
    }

    /** The unit a bare number is in, and the unit values are returned in. */
    public Unit unit() {
        return valueType.unit();
    }

    public Context context() {
        return context;
    }

    /**
     * The pool_status description (PCP_SPEC Appendix A), with {@code #N} for per-node parameters;
     * empty for parameters pool_status does not show.
     */
    public String description() {
        return description;
    }

    /** The description for node {@code node} ("backend #1 hostname"). */
    public String description(int node) {
        return description.replace("#N", "#" + node);
    }

    /** True if jpgpool acts on this parameter; other values are read, checked and ignored with a warning. */
    public boolean supported() {
        return supported;
    }

    public Scope scope() {
        return scope;
    }

    /** True if there are per-node forms {@code nameN}. */
    public boolean perNode() {
        return scope != Scope.GLOBAL;
    }

    /** True for passwords: PGPOOL SHOW prints {@code *****} and pool_status leaves them out. */
    public boolean secret() {
        return secret;
    }

    ValueType<T> valueType() {
        return valueType;
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return scope == Scope.PER_NODE ? name + "N" : name;
    }
}
