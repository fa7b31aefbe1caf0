package io.jpgpool.config;

/** The right-hand side of a redirect-list entry (SEMANTICS §A.6): a node id, the primary, or any standby. */
public sealed interface RedirectTarget {

    /** The primary (in SR mode; the main node otherwise). */
    RedirectTarget PRIMARY = new Primary();

    /** A weighted choice among the standbys. */
    RedirectTarget STANDBY = new Standby();

    /** A fixed node. */
    record Node(int nodeId) implements RedirectTarget {
        @Override
        public String toString() {
            return Integer.toString(nodeId);
        }
    }

    /** {@code primary}. */
    record Primary() implements RedirectTarget {
        @Override
        public String toString() {
            return "primary";
        }
    }

    /** {@code standby}. */
    record Standby() implements RedirectTarget {
        @Override
        public String toString() {
            return "standby";
        }
    }
}
