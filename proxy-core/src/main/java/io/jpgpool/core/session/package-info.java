/**
 * Client sessions. {@link io.jpgpool.core.session.ClientSession} is the Netty end (startup, authentication,
 * turning client messages into routed requests); {@link io.jpgpool.core.session.RequestQueue} matches what the
 * backends answer to those requests and decides what the client sees, in the order it asked.
 */
package io.jpgpool.core.session;
