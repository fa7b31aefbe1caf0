package io.jpgpool.protocol.codec;

import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes what a client sends. First the untagged startup phase (SSLRequest, GSSENCRequest, CancelRequest,
 * StartupMessage), emitted as message objects; after the StartupMessage, tagged messages, emitted as retained
 * {@link ByteBuf} frames with the tag at the reader index. Lengths and types are checked as PostgreSQL's
 * postmaster and postgres.c check them; a violation raises {@link ProtocolException} and everything the client
 * sends afterwards is discarded.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {
    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;
    /** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH. */
    public static final int MAX_AUTH_TOKEN_LENGTH = 65_535;

    private enum State { STARTUP, MESSAGES, FAILED }

    private State state = State.STARTUP;
    private boolean authenticated;

    /** A decoder for a client that must authenticate before it may send anything but passwords. */
    public FrontendDecoder() {
        this(true);
    }

    /** {@code requireAuthentication = false}: every message type is accepted right after the startup packet. */
    public FrontendDecoder(boolean requireAuthentication) {
        this.authenticated = !requireAuthentication;
    }

    public boolean inStartupPhase() {
        return state == State.STARTUP;
    }

    /**
     * Until the session says the client is authenticated, only password messages (at most 64 kB, PostgreSQL's
     * PG_MAX_AUTH_TOKEN_LENGTH) and Terminate are accepted, so an unauthenticated client cannot make the proxy
     * buffer a large message.
     */
    public void authenticated(boolean value) {
        this.authenticated = value;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case STARTUP -> decodeStartup(in, out);
                case MESSAGES -> decodeMessage(in, out);
                case FAILED -> in.skipBytes(in.readableBytes());
            }
        } catch (ProtocolException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeStartup(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        // as the postmaster: the limit is on the packet without its length word, so 10004 bytes in all
        if (length < 8 || length - 4 > MAX_STARTUP_PACKET_LENGTH) {
            throw new ProtocolException("invalid length of startup packet");
        }
        if (in.readableBytes() < length) {
            return;
        }
        int start = in.readerIndex();
        int code = in.getInt(start + 4);
        switch (code) {
            case SSLRequest.CODE -> {
                expectLength(length, 8);
                in.skipBytes(8);
                out.add(SSLRequest.INSTANCE);
            }
            case GSSENCRequest.CODE -> {
                expectLength(length, 8);
                in.skipBytes(8);
                out.add(GSSENCRequest.INSTANCE);
            }
            case CancelRequest.CODE -> {
                expectLength(length, 16);
                out.add(new CancelRequest(in.getInt(start + 8), in.getInt(start + 12)));
                in.skipBytes(16);
                state = State.FAILED; // a cancel connection carries nothing else
            }
            default -> {
                int major = code >>> 16;
                if (major != 3) {
                    throw new ProtocolException(SqlState.FEATURE_NOT_SUPPORTED, String.format(
                            "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", major, code & 0xffff));
                }
                ByteBuf body = in.slice(start + 8, length - 8);
                in.skipBytes(length);
                out.add(StartupMessage.decode(code, body));
                state = State.MESSAGES;
            }
        }
    }

    private static void expectLength(int length, int expected) {
        if (length != expected) {
            throw new ProtocolException("invalid length of startup packet");
        }
    }

    private void decodeMessage(ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 5) {
            int start = in.readerIndex();
            byte tag = in.getByte(start);
            int max = FrontendTag.maxLength(tag);
            if (max < 0) {
                throw new ProtocolException("invalid frontend message type " + (tag & 0xff));
            }
            if (!authenticated) {
                if (tag != FrontendTag.PASSWORD && tag != FrontendTag.TERMINATE) {
                    throw new ProtocolException("expected password response, got message type " + (tag & 0xff));
                }
                max = Math.min(max, MAX_AUTH_TOKEN_LENGTH + 4);
            }
            int length = in.getInt(start + 1);
            if (length < 4 || length > max) {
                throw new ProtocolException("invalid message length");
            }
            if (in.readableBytes() < length + 1) {
                return;
            }
            out.add(in.readRetainedSlice(length + 1));
        }
    }
}
