package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ErrorResponse ({@code E}) or NoticeResponse ({@code N}): a list of one-letter fields. jpgpool builds
 * these the way PostgreSQL does, so a client cannot tell our errors from the server's.
 */
public record ErrorResponse(byte tag, Map<Character, String> fields) {
    public static final char SEVERITY = 'S';
    public static final char SEVERITY_NON_LOCALIZED = 'V';
    public static final char CODE = 'C';
    public static final char MESSAGE = 'M';
    public static final char DETAIL = 'D';
    public static final char HINT = 'H';

    public ErrorResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ErrorResponse error(String sqlState, String message) {
        return of(BackendTag.ERROR_RESPONSE, "ERROR", sqlState, message, null, null);
    }

    public static ErrorResponse error(String sqlState, String message, String detail) {
        return of(BackendTag.ERROR_RESPONSE, "ERROR", sqlState, message, detail, null);
    }

    public static ErrorResponse fatal(String sqlState, String message) {
        return of(BackendTag.ERROR_RESPONSE, "FATAL", sqlState, message, null, null);
    }

    public static ErrorResponse fatal(String sqlState, String message, String detail) {
        return of(BackendTag.ERROR_RESPONSE, "FATAL", sqlState, message, detail, null);
    }

    public static ErrorResponse notice(String sqlState, String message) {
        return of(BackendTag.NOTICE_RESPONSE, "NOTICE", sqlState, message, null, null);
    }

    public static ErrorResponse of(byte tag, String severity, String sqlState, String message, String detail,
            String hint) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put(SEVERITY, severity);
        f.put(SEVERITY_NON_LOCALIZED, severity);
        f.put(CODE, sqlState);
        f.put(MESSAGE, message);
        if (detail != null) {
            f.put(DETAIL, detail);
        }
        if (hint != null) {
            f.put(HINT, hint);
        }
        return new ErrorResponse(tag, f);
    }

    public static ErrorResponse decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate();
        byte tag = b.readByte();
        b.skipBytes(4);
        Map<Character, String> f = new LinkedHashMap<>();
        while (b.isReadable()) {
            byte code = b.readByte();
            if (code == 0) {
                break;
            }
            f.put((char) code, PgBuffers.readCString(b));
        }
        if (!f.containsKey(MESSAGE)) {
            throw new ProtocolException("invalid error message: no message field");
        }
        return new ErrorResponse(tag, f);
    }

    /** The SQLSTATE of an ErrorResponse frame, read without building the whole object. */
    public static String sqlState(ByteBuf frame) {
        return decode(frame).sqlState();
    }

    public boolean isError() {
        return tag == BackendTag.ERROR_RESPONSE;
    }

    public String severity() {
        return fields.getOrDefault(SEVERITY_NON_LOCALIZED, fields.getOrDefault(SEVERITY, ""));
    }

    public boolean isFatal() {
        String s = severity();
        return s.equals("FATAL") || s.equals("PANIC");
    }

    public String sqlState() {
        return fields.getOrDefault(CODE, "");
    }

    public String message() {
        return fields.getOrDefault(MESSAGE, "");
    }

    public String detail() {
        return fields.get(DETAIL);
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, tag);
        fields.forEach((k, v) -> {
            out.writeByte(k);
            PgBuffers.writeCString(out, v);
        });
        out.writeByte(0);
        PgBuffers.endMessage(out, len);
    }

    /** The text as psql prints it: {@code ERROR:  message}. */
    @Override
    public String toString() {
        String d = detail();
        return severity() + ":  " + message() + (d == null ? "" : "\nDETAIL:  " + d);
    }
}
