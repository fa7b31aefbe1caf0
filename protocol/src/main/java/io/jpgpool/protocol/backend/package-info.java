/**
 * Messages a server (backend) sends, one immutable class per message that jpgpool decodes or builds itself.
 * Everything else passes through as raw frames; {@link io.jpgpool.protocol.backend.BackendTag} names them.
 */
package io.jpgpool.protocol.backend;
