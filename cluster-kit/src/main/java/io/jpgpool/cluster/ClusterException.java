package io.jpgpool.cluster;

/** A cluster operation failed; the message names the node, the command and the tail of the node's log. */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
