package io.jpgpool.config;

/** When a change to a parameter takes effect (PGPOOL_PARAMS "change takes effect" column). */
public enum Context {
    /** Only at server start. */
    RESTART,
    /** At reload (SIGHUP, {@code pcp_reload_config}). */
    RELOAD,
    /** At reload, and per session with {@code PGPOOL SET}. */
    SESSION;

    /** True if a reload applies a new value. */
    public boolean reloadable() {
        return this != RESTART;
    }
}
