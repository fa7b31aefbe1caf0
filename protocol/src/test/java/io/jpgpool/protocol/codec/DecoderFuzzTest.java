package io.jpgpool.protocol.codec;

import static io.jpgpool.protocol.Fuzz.randomBytes;
import static io.jpgpool.protocol.Fuzz.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.Fuzz;
import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.BackendKeyData;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.DataRow;
import io.jpgpool.protocol.backend.EmptyMessages;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.NegotiateProtocolVersion;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.backend.RowDescription;
import io.jpgpool.protocol.codec.DecoderChannel.Frame;
import io.jpgpool.protocol.codec.DecoderChannel.Read;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.CopyFail;
import io.jpgpool.protocol.frontend.Describe;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.Flush;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.PasswordMessage;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.protocol.frontend.Sync;
import io.jpgpool.protocol.frontend.Terminate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of random and damaged byte streams, each fed to a decoder in reads of random sizes. Whatever a peer
 * sends, the decoder emits whole frames or raises a ProtocolException: it throws nothing else, never hangs, frees
 * every buffer, and emits only bytes that were sent, in order. A failing stream is reported with its seed.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x6a70_6770_6f6f_6cL;
    private static final int STREAMS = 1_500;
    private static final Pattern CLIENT_ERRORS = Pattern.compile("invalid length of startup packet"
            + "|unsupported frontend protocol \\d+\\.\\d+: server supports 3\\.0 to 3\\.0"
            + "|invalid startup packet layout: expected terminator as last byte"
            + "|invalid frontend message type \\d+|invalid message length");
    private static final Pattern SERVER_ERRORS = Pattern.compile("invalid message length -?\\d+ from server");

    /** A byte stream, the offsets of its length words, and where its tagged messages start (-1: unknown). */
    private record Session(byte[] bytes, List<Integer> lengthFields, int messagesFrom) {
    }

    @Test
    @Timeout(30)
    void frontendDecoderSurvivesAnyClient() {
        Random seeds = new Random(SEED);
        for (int i = 0; i < STREAMS; i++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            Session session = clientSession(random);
            byte[] stream = random.nextInt(5) == 0 ? session.bytes()
                    : Fuzz.mutate(random, session.bytes(), session.lengthFields());
            try {
                checkFrontend(stream, Arrays.equals(stream, session.bytes()) ? session : null, Fuzz.chunks(random, stream));
            } catch (AssertionError e) {
                throw new AssertionError("client stream with seed " + seed + ": " + ByteBufUtil.hexDump(stream), e);
            }
        }
    }

    @Test
    @Timeout(30)
    void backendDecoderSurvivesAnyServer() {
        Random seeds = new Random(SEED + 1);
        for (int i = 0; i < STREAMS; i++) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            Session session = serverSession(random);
            byte[] stream = random.nextInt(5) == 0 ? session.bytes()
                    : Fuzz.mutate(random, session.bytes(), session.lengthFields());
            try {
                checkBackend(stream, Arrays.equals(stream, session.bytes()) ? session : null, Fuzz.chunks(random, stream));
            } catch (AssertionError e) {
                throw new AssertionError("server stream with seed " + seed + ": " + ByteBufUtil.hexDump(stream), e);
            }
        }
    }

    private static void checkFrontend(byte[] stream, Session intact, List<byte[]> reads) {
        DecoderChannel channel = new DecoderChannel(new FrontendDecoder(false));
        List<Object> emitted = new ArrayList<>();
        ProtocolException error = null;
        boolean startup = false;
        boolean cancel = false;
        for (byte[] chunk : reads) {
            Read read = channel.write(chunk);
            if (error != null || cancel) {
                assertThat(read.emitted()).as("emitted after the connection was done").isEmpty();
                assertThat(read.error()).as("error after the connection was done").isNull();
            }
            for (Object m : read.emitted()) {
                if (m instanceof Frame f) {
                    assertThat(startup).as("frame before the startup packet").isTrue();
                    int max = FrontendTag.maxLength(f.tag());
                    assertThat(max).as("type byte of %s", f).isNotNegative();
                    assertThat(f.lengthField()).as("length of %s", f).isBetween(4, max);
                } else {
                    assertThat(startup).as("startup-phase packet after the startup packet").isFalse();
                    assertThat(m).isInstanceOfAny(StartupMessage.class, CancelRequest.class, SSLRequest.class,
                            GSSENCRequest.class);
                    startup = m instanceof StartupMessage;
                    cancel = m instanceof CancelRequest;
                }
            }
            emitted.addAll(read.emitted());
            if (read.error() != null) {
                error = read.error();
                assertThat(error.getMessage()).matches(CLIENT_ERRORS);
            }
        }
        channel.finish();
        byte[] frames = DecoderChannel.joined(emitted);
        assertThat(Fuzz.containsRun(stream, frames)).as("frames are a run of the bytes sent").isTrue();
        if (intact != null && intact.messagesFrom() >= 0) {
            assertThat(error).as("error on an intact stream").isNull();
            assertThat(frames).isEqualTo(Arrays.copyOfRange(stream, intact.messagesFrom(), stream.length));
        }
    }

    private static void checkBackend(byte[] stream, Session intact, List<byte[]> reads) {
        DecoderChannel channel = new DecoderChannel(new BackendDecoder());
        List<Object> beforeError = new ArrayList<>();
        ProtocolException error = null;
        for (byte[] chunk : reads) {
            Read read = channel.write(chunk);
            for (Object m : read.emitted()) {
                assertThat(m).isInstanceOf(Frame.class);
                assertThat(((Frame) m).lengthField()).isBetween(4, 0x3fff_ffff);
            }
            if (error == null) {
                beforeError.addAll(read.emitted());
            }
            if (read.error() != null) {
                error = read.error();
                assertThat(error.getMessage()).matches(SERVER_ERRORS);
            }
        }
        channel.finish();
        byte[] frames = DecoderChannel.joined(beforeError);
        assertThat(Fuzz.containsRun(stream, frames)).as("frames are a run of the bytes sent").isTrue();
        if (intact != null && intact.messagesFrom() >= 0) {
            assertThat(error).as("error on an intact stream").isNull();
            assertThat(frames).isEqualTo(stream);
        }
    }

    /** What a client might send: mostly a startup and messages, sometimes a cancel, sometimes noise. */
    private static Session clientSession(Random random) {
        ByteBuf out = Unpooled.buffer();
        try {
            List<Integer> lengths = new ArrayList<>();
            int kind = random.nextInt(10);
            if (kind == 0) {
                return new Session(randomBytes(random, 200), List.of(0), -1);
            }
            if (kind == 1) {
                new CancelRequest(random.nextInt(), random.nextInt()).encode(out);
                return new Session(ByteBufUtil.getBytes(out), List.of(0), out.writerIndex());
            }
            if (kind == 2 || kind == 3) {
                lengths.add(out.writerIndex());
                if (kind == 2) {
                    SSLRequest.INSTANCE.encode(out);
                } else {
                    GSSENCRequest.INSTANCE.encode(out);
                }
            }
            lengths.add(out.writerIndex());
            StartupMessage.of(text(random, 8), text(random, 8), random.nextBoolean() ? Map.of()
                    : Map.of("application_name", text(random, 8), "options", text(random, 20))).encode(out);
            int messagesFrom = out.writerIndex();
            for (int i = random.nextInt(12); i > 0; i--) {
                lengths.add(out.writerIndex() + 1);
                clientMessage(random, out);
            }
            if (kind == 4) {
                out.writeBytes(randomBytes(random, 40));
                messagesFrom = -1;
            }
            return new Session(ByteBufUtil.getBytes(out), lengths, messagesFrom);
        } finally {
            out.release();
        }
    }

    private static void clientMessage(Random random, ByteBuf out) {
        switch (random.nextInt(15)) {
            case 0 -> new Query(text(random, 40)).encode(out);
            case 1 -> new Parse(text(random, 4), text(random, 40), random.ints(random.nextInt(3)).toArray()).encode(out);
            case 2 -> new Bind(text(random, 4), text(random, 4)).encode(out);
            case 3 -> new Describe(random.nextBoolean() ? Describe.STATEMENT : Describe.PORTAL, text(random, 4)).encode(out);
            case 4 -> new Close(random.nextBoolean() ? Close.STATEMENT : Close.PORTAL, text(random, 4)).encode(out);
            case 5 -> new Execute(text(random, 4), random.nextInt(100)).encode(out);
            case 6 -> Sync.INSTANCE.encode(out);
            case 7 -> Flush.INSTANCE.encode(out);
            case 8 -> new CopyFail(text(random, 20)).encode(out);
            case 9 -> new PasswordMessage(text(random, 20)).encode(out);
            case 10 -> new SASLInitialResponse("SCRAM-SHA-256", randomBytes(random, 40)).encode(out);
            case 11 -> new SASLResponse(randomBytes(random, 40)).encode(out);
            case 12 -> Terminate.INSTANCE.encode(out);
            default -> rawMessage(random, out, "dcF".charAt(random.nextInt(3)));
        }
    }

    /** What a server might send: mostly well-formed messages, sometimes noise. */
    private static Session serverSession(Random random) {
        if (random.nextInt(10) == 0) {
            return new Session(randomBytes(random, 200), List.of(1), -1);
        }
        ByteBuf out = Unpooled.buffer();
        try {
            List<Integer> lengths = new ArrayList<>();
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                lengths.add(out.writerIndex() + 1);
                serverMessage(random, out);
            }
            return new Session(ByteBufUtil.getBytes(out), lengths, 0);
        } finally {
            out.release();
        }
    }

    private static void serverMessage(Random random, ByteBuf out) {
        switch (random.nextInt(14)) {
            case 0 -> new Authentication.Ok().encode(out);
            case 1 -> new Authentication.Md5Password(Arrays.copyOf(randomBytes(random, 4), 4)).encode(out);
            case 2 -> new Authentication.Sasl(List.of("SCRAM-SHA-256")).encode(out);
            case 3 -> new Authentication.SaslContinue(randomBytes(random, 60)).encode(out);
            case 4 -> new ParameterStatus(text(random, 10), text(random, 10)).encode(out);
            case 5 -> new BackendKeyData(random.nextInt(), random.nextInt()).encode(out);
            case 6 -> ReadyForQuery.encode(out, (byte) "ITE".charAt(random.nextInt(3)));
            case 7 -> new RowDescription(List.of(text(random, 8), text(random, 8))).encode(out);
            case 8 -> new DataRow(Arrays.asList(text(random, 30), random.nextBoolean() ? null : "")).encode(out);
            case 9 -> new CommandComplete("SELECT " + random.nextInt(1000)).encode(out);
            case 10 -> ErrorResponse.error("42601", text(random, 30), text(random, 30)).encode(out);
            case 11 -> EmptyMessages.parseComplete(out);
            case 12 -> new NegotiateProtocolVersion(0, List.of("_pq_." + text(random, 6))).encode(out);
            default -> rawMessage(random, out, (char) ('A' + random.nextInt(58)));
        }
    }

    private static void rawMessage(Random random, ByteBuf out, char tag) {
        byte[] body = randomBytes(random, 64);
        out.writeByte(tag);
        out.writeInt(4 + body.length);
        out.writeBytes(body);
    }
}
