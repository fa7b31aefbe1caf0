/**
 * Messages a client (frontend) sends, one immutable class per message. Each decodes from a whole frame
 * (tag, length, body) and encodes itself; the proxy forwards the original bytes and decodes only the fields
 * that routing needs.
 */
package io.jpgpool.protocol.frontend;
