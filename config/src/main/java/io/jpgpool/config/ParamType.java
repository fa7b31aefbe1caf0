package io.jpgpool.config;

/** The kind of value a parameter holds; {@link Param#valueClass()} gives the Java type. */
public enum ParamType {
    /** {@code Boolean}. */
    BOOL,
    /** {@code Integer}, possibly with a unit. */
    INT,
    /** {@code Long}, possibly with a unit. */
    LONG,
    /** {@code Double}. */
    DOUBLE,
    /** {@code String}; may be unset (null) for the few parameters whose default is unset. */
    STRING,
    /** A {@link PgpoolEnum}. */
    ENUM,
    /** {@code List<String>}. */
    STRING_LIST,
    /** {@code List<java.util.regex.Pattern>}: anchored, case-insensitive regexes. */
    PATTERN_LIST,
    /** {@code List<RedirectRule>}. */
    REDIRECT_LIST,
    /** {@code Set<BackendFlag>}. */
    BACKEND_FLAGS
}
