/**
 * Framing: splits a byte stream into whole protocol messages. Tagged messages are emitted as retained
 * slices of the receive buffer (tag byte first), so forwarding them copies nothing.
 */
package io.jpgpool.protocol.codec;
