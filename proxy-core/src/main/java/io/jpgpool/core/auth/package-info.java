/**
 * Authentication on both sides: the client proves itself to jpgpool against pool_passwd
 * ({@link io.jpgpool.core.auth.ClientAuthenticator}), and jpgpool logs into each backend with what it learnt
 * ({@link io.jpgpool.core.auth.Credentials}). Which method the client is asked for follows the method the
 * backend asks jpgpool for, as in Pgpool-II (SEMANTICS E.4).
 */
package io.jpgpool.core.auth;
