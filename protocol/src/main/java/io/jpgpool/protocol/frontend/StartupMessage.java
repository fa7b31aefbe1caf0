package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The first packet of a session: protocol version and parameters (user, database, options, GUCs). */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) {
    public static final int PROTOCOL_3_0 = 196608;

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static StartupMessage of(String user, String database, Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", user);
        p.put("database", database);
        p.putAll(more);
        return new StartupMessage(PROTOCOL_3_0, p);
    }

    public String user() {
        return parameters.get("user");
    }

    /** The database, which defaults to the user name as in PostgreSQL. */
    public String database() {
        String db = parameters.get("database");
        return db == null || db.isEmpty() ? user() : db;
    }

    public String applicationName() {
        return parameters.getOrDefault("application_name", "");
    }

    /** Parameters in name order: two startup packets that differ only in order are the same (pgpool's pool key). */
    public Map<String, String> sortedParameters() {
        return new TreeMap<>(parameters);
    }

    /** Decodes the body after the length and version words (the buffer holds name/value pairs ending in NUL). */
    public static StartupMessage decode(int version, ByteBuf body) {
        // as PostgreSQL: the pairs end with an empty name, and that NUL must be the packet's last byte
        if (!body.isReadable() || body.getByte(body.writerIndex() - 1) != 0) {
            throw badLayout();
        }
        Map<String, String> p = new LinkedHashMap<>();
        while (body.readableBytes() > 1) {
            String name = PgBuffers.readCString(body);
            if (name.isEmpty() || !body.isReadable()) {
                throw badLayout();
            }
            p.put(name, PgBuffers.readCString(body));
        }
        if (body.readableBytes() != 1) {
            throw badLayout();
        }
        body.skipBytes(1);
        return new StartupMessage(version, p);
    }

    private static ProtocolException badLayout() {
        return new ProtocolException("invalid startup packet layout: expected terminator as last byte");
    }

    public void encode(ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeInt(protocolVersion);
        parameters.forEach((k, v) -> {
            PgBuffers.writeCString(out, k);
            PgBuffers.writeCString(out, v);
        });
        out.writeByte(0);
        out.setInt(start, out.writerIndex() - start);
    }
}
