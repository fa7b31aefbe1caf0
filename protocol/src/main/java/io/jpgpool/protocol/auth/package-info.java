/**
 * Password mechanisms, as pure functions and small state machines over bytes: no sockets, no Netty.
 *
 * <p>{@link io.jpgpool.protocol.auth.Md5Auth} is PostgreSQL's {@code md5} method (and the hash that
 * pool_passwd and pg_authid store). SCRAM-SHA-256 is split by role: {@link io.jpgpool.protocol.auth.ScramServer}
 * when jpgpool authenticates a client, {@link io.jpgpool.protocol.auth.ScramClient} when jpgpool logs into a
 * backend, both over a {@link io.jpgpool.protocol.auth.ScramSecret} (the {@code SCRAM-SHA-256$...} string in
 * pg_authid.rolpassword). The server hands back the client's ClientKey, so jpgpool can log into a backend whose
 * secret has the same salt and iteration count without knowing the plain-text password (SEMANTICS E.4 says
 * Pgpool-II 4.3 cannot; this is jpgpool's addition, the trick PgBouncer uses).
 *
 * <p>Session code sends the Authentication messages and calls in here; peer mistakes come back as
 * {@link io.jpgpool.protocol.auth.ScramException} with a SQLSTATE and PostgreSQL's own wording.
 */
package io.jpgpool.protocol.auth;
