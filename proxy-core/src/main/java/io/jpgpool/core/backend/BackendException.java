package io.jpgpool.core.backend;

import io.jpgpool.protocol.backend.ErrorResponse;

/**
 * A backend connection could not be made or used. When the server itself refused (wrong password, no such
 * database) {@link #serverError()} holds its ErrorResponse, which the client sees unchanged.
 */
public final class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorResponse serverError;
    private final int nodeId;

    public BackendException(int nodeId, String message, Throwable cause) {
        super(message, cause);
        this.nodeId = nodeId;
        this.serverError = null;
    }

    public BackendException(int nodeId, ErrorResponse serverError) {
        super(serverError.toString());
        this.nodeId = nodeId;
        this.serverError = serverError;
    }

    public ErrorResponse serverError() {
        return serverError;
    }

    public int nodeId() {
        return nodeId;
    }
}
