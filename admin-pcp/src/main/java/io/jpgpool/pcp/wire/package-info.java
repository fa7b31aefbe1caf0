/**
 * PCP on the wire (PCP_SPEC 2-5): a tag byte, an int32 length that counts itself, a payload of NUL-terminated
 * ASCII strings. Used by both the server ({@code io.jpgpool.pcp}) and the client ({@code io.jpgpool.pcp.client}).
 * Strings are carried as ISO-8859-1 Java strings, one char per byte, so any byte survives unchanged.
 */
package io.jpgpool.pcp.wire;
