/**
 * PostgreSQL frontend/backend protocol version 3: bytes to messages and back, with no policy.
 *
 * <p>{@code frontend} holds the messages a client sends, {@code backend} the ones a server sends; each
 * knows how to decode and encode itself. {@code codec} frames a byte stream into whole messages without
 * copying row data, and {@code auth} has the password mechanisms (MD5, SCRAM-SHA-256).
 */
package io.jpgpool.protocol;
