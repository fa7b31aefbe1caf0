/**
 * TLS on both sides (SEMANTICS §E.6): {@link io.jpgpool.core.tls.TlsContexts} builds Netty contexts from the ssl_*
 * parameters, {@link io.jpgpool.core.tls.ServerTls} holds the client-side one across reloads,
 * {@link io.jpgpool.core.tls.SslNegotiator} answers SSLRequest in front of the protocol decoder,
 * {@link io.jpgpool.core.tls.ClientTls} tells the session what the handshake established (TLS, certificate CN),
 * and {@link io.jpgpool.core.tls.BackendTls} negotiates TLS with backends for sessions and pgjdbc checks alike.
 */
package io.jpgpool.core.tls;
