package io.jpgpool.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL client on a plain socket, for sending what no driver would: it writes raw bytes, logs in with
 * trust authentication, and reads backend messages one by one.
 */
public final class RawPgClient implements AutoCloseable {
    private static final int PROTOCOL_3_0 = 196608;

    /** One backend message: its type byte and the bytes after the length word. */
    public record Message(char type, byte[] body) {
        /** The fields of an ErrorResponse or NoticeResponse, by their code ('S', 'C', 'M', ...). */
        public Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }

        @Override
        public String toString() {
            return type == 'E' || type == 'N' ? type + fields().toString() : type + "(" + body.length + " bytes)";
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    private RawPgClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawPgClient connect(String host, int port, Duration readTimeout) {
        try {
            Socket s = new Socket(host, port);
            s.setSoTimeout((int) readTimeout.toMillis());
            return new RawPgClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A StartupMessage (protocol 3.0) for {@code user} and {@code database}. */
    public static byte[] startupPacket(String user, String database) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String s : List.of("user", user, "database", database, "application_name", "raw-client")) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        return ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).putInt(PROTOCOL_3_0)
                .put(body.toByteArray()).array();
    }

    /** A tagged message: type byte, length word (counting itself), body. */
    public static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** A simple Query message. */
    public static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        return message('Q', ByteBuffer.allocate(text.length + 1).put(text).put((byte) 0).array());
    }

    /** Sends the startup packet and reads up to ReadyForQuery; fails on anything but AuthenticationOk. */
    public RawPgClient login(String user, String database) {
        send(startupPacket(user, database));
        readUntilReady().forEach(m -> {
            if (m.type() == 'E' || (m.type() == 'R' && ByteBuffer.wrap(m.body()).getInt() != 0)) {
                throw new AssertionError("trust login expected, got " + m);
            }
        });
        return this;
    }

    public RawPgClient send(byte[]... chunks) {
        try {
            for (byte[] c : chunks) {
                socket.getOutputStream().write(c);
            }
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes our sending side only: the server sees end of input, we can still read what it answers. */
    public RawPgClient shutdownOutput() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message, or null when the server closed the connection. */
    public Message read() {
        try {
            int type = in.read();
            if (type < 0) {
                return null;
            }
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            return new Message((char) type, body);
        } catch (EOFException e) {
            throw new AssertionError("connection closed in the middle of a message", e);
        } catch (SocketException e) {
            return null; // reset by the server: closed as well
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close from the server in time", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages up to and including ReadyForQuery. */
    public List<Message> readUntilReady() {
        List<Message> messages = new ArrayList<>();
        Message m;
        do {
            m = read();
            if (m == null) {
                throw new AssertionError("server closed the connection; got " + messages);
            }
            messages.add(m);
        } while (m.type() != 'Z');
        return messages;
    }

    /** Everything the server sends until it closes the connection. */
    public List<Message> readUntilClosed() {
        List<Message> messages = new ArrayList<>();
        for (Message m = read(); m != null; m = read()) {
            messages.add(m);
        }
        return messages;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
