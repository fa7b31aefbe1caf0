package io.jpgpool.core.tls;

/** A TLS file or setting that cannot be used; the message names the file, in PostgreSQL's and pgpool's words. */
public final class TlsConfigException extends Exception {
    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
