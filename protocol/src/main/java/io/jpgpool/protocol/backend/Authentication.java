package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** The Authentication* family: which method the server wants, or that it is done. */
public sealed interface Authentication {
    int OK = 0;
    int CLEARTEXT_PASSWORD = 3;
    int MD5_PASSWORD = 5;
    int SASL = 10;
    int SASL_CONTINUE = 11;
    int SASL_FINAL = 12;

    void encode(ByteBuf out);

    record Ok() implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 8, OK);
        }
    }

    record CleartextPassword() implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 8, CLEARTEXT_PASSWORD);
        }
    }

    record Md5Password(byte[] salt) implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 12, MD5_PASSWORD);
            out.writeBytes(salt, 0, 4);
        }
    }

    record Sasl(List<String> mechanisms) implements Authentication {
        public Sasl {
            mechanisms = List.copyOf(mechanisms);
        }

        public void encode(ByteBuf out) {
            int len = PgBuffers.beginMessage(out, BackendTag.AUTHENTICATION);
            out.writeInt(SASL);
            mechanisms.forEach(m -> PgBuffers.writeCString(out, m));
            out.writeByte(0);
            PgBuffers.endMessage(out, len);
        }
    }

    record SaslContinue(byte[] data) implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 8 + data.length, SASL_CONTINUE);
            out.writeBytes(data);
        }
    }

    record SaslFinal(byte[] data) implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 8 + data.length, SASL_FINAL);
            out.writeBytes(data);
        }
    }

    /** Any other method (Kerberos, GSS, SSPI...), which jpgpool does not speak. */
    record Unsupported(int code) implements Authentication {
        public void encode(ByteBuf out) {
            begin(out, 8, code);
        }
    }

    private static void begin(ByteBuf out, int length, int code) {
        out.writeByte(BackendTag.AUTHENTICATION);
        out.writeInt(length);
        out.writeInt(code);
    }

    /** Decodes an Authentication frame (tag {@code R}). */
    static Authentication decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        if (!b.isReadable(4)) {
            throw new ProtocolException("invalid authentication request");
        }
        int code = b.readInt();
        return switch (code) {
            case OK -> new Ok();
            case CLEARTEXT_PASSWORD -> new CleartextPassword();
            case MD5_PASSWORD -> {
                byte[] salt = new byte[4];
                b.readBytes(salt);
                yield new Md5Password(salt);
            }
            case SASL -> {
                List<String> mechs = new ArrayList<>();
                while (b.isReadable()) {
                    String m = PgBuffers.readCString(b);
                    if (m.isEmpty()) {
                        break;
                    }
                    mechs.add(m);
                }
                yield new Sasl(mechs);
            }
            case SASL_CONTINUE, SASL_FINAL -> {
                byte[] data = new byte[b.readableBytes()];
                b.readBytes(data);
                yield code == SASL_CONTINUE ? new SaslContinue(data) : new SaslFinal(data);
            }
            default -> new Unsupported(code);
        };
    }
}
