package io.jpgpool.protocol.auth;

import java.util.List;
import java.util.Objects;

/**
 * jpgpool as the SCRAM-SHA-256 server to one client: one instance per authentication, used from one thread.
 *
 * <p>The session sends AuthenticationSASL with {@link #MECHANISMS}, checks the client's choice with
 * {@link #checkMechanism}, passes the SASLInitialResponse data to {@link #handleClientFirst} and answers with
 * AuthenticationSASLContinue, then passes the SASLResponse data to {@link #handleClientFinal}: on success it
 * sends AuthenticationSASLFinal and AuthenticationOk, on failure FATAL 28P01 {@code password authentication
 * failed for user "..."}. Malformed messages throw {@link ScramException}.
 *
 * <p>Follows PostgreSQL's server: the user name inside the exchange is ignored (the startup packet's counts),
 * authzid and mandatory extensions are refused, unknown optional extensions skipped. There is no channel
 * binding: a proxy ends the client's TLS, so it can never prove the backend's certificate, and we offer only
 * plain {@code SCRAM-SHA-256}.
 */
public final class ScramServer {
    public static final String MECHANISM = "SCRAM-SHA-256";
    /** What we advertise in AuthenticationSASL: never the -PLUS variant (see above). */
    public static final List<String> MECHANISMS = List.of(MECHANISM);

    private enum State { AWAITING_CLIENT_FIRST, AWAITING_CLIENT_FINAL, DONE }

    private final ScramSecret secret;
    private final String serverNonce;
    private State state = State.AWAITING_CLIENT_FIRST;

    // from the client-first-message, needed for the AuthMessage
    private String gs2Header;
    private String clientFirstBare;
    private String clientNonce;
    private String serverFirst;

    ScramServer(ScramSecret secret, String serverNonce) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.serverNonce = Objects.requireNonNull(serverNonce, "serverNonce");
    }

    /** For a user whose pg_authid / pool_passwd entry is a SCRAM secret. */
    public static ScramServer forSecret(ScramSecret secret) {
        return new ScramServer(secret, ScramCrypto.newNonce());
    }

    /** For a user whose password jpgpool knows in plain text: a fresh secret (random salt, 4096 iterations). */
    public static ScramServer forPassword(String password) {
        return forSecret(ScramSecret.generate(password));
    }

    /** The secret this exchange checks against; pass-through needs the same one on the backend side. */
    public ScramSecret secret() {
        return secret;
    }

    /** Refuses a mechanism we did not offer, as PostgreSQL does (08P01). */
    public static void checkMechanism(String mechanism) {
        if (!MECHANISM.equals(mechanism)) {
            throw ScramException.protocolViolation("client selected an invalid SASL authentication mechanism", null);
        }
    }

    /** Reads the client-first-message (SASLInitialResponse data); returns the server-first-message. */
    public byte[] handleClientFirst(byte[] clientFirstMessage) {
        requireState(State.AWAITING_CLIENT_FIRST);
        state = State.DONE; // until we succeed: an exchange that threw cannot be resumed
        readClientFirst(ScramMessageReader.of(clientFirstMessage));
        serverFirst = "r=" + clientNonce + serverNonce
                + ",s=" + ScramCrypto.base64(secret.salt())
                + ",i=" + secret.iterations();
        state = State.AWAITING_CLIENT_FINAL;
        return ScramMessageReader.bytes(serverFirst);
    }

    /**
     * Reads the client-final-message (SASLResponse data) and checks the proof. A wrong password is a
     * {@link Result.Failure}, not an exception: the session answers it like any failed password.
     */
    public Result handleClientFinal(byte[] clientFinalMessage) {
        requireState(State.AWAITING_CLIENT_FINAL);
        state = State.DONE;
        ScramMessageReader in = ScramMessageReader.of(clientFinalMessage);

        String channelBinding = in.readAttribute('c');
        // without channel binding the client repeats its gs2 header: "biws" is "n,,", "eSws" is "y,,"
        if (!channelBinding.equals(ScramCrypto.base64(ScramMessageReader.bytes(gs2Header)))) {
            throw ScramException.protocolViolation(
                    "unexpected SCRAM channel-binding attribute in client-final-message", null);
        }
        String finalNonce = in.readAttribute('r');
        int proofStart;
        ScramMessageReader.Attribute attribute;
        do { // optional extensions may come before the proof; we skip them
            proofStart = in.position() - 1;
            attribute = in.readAnyAttribute();
        } while (attribute.name() != 'p');
        byte[] proof = ScramCrypto.base64OrNull(attribute.value());
        if (proof == null || proof.length != ScramCrypto.KEY_LENGTH) {
            throw ScramException.malformed("Malformed proof in client-final-message.");
        }
        if (!in.atEnd()) {
            throw ScramException.malformed("Garbage found at the end of client-final-message.");
        }
        if (!finalNonce.equals(clientNonce + serverNonce)) {
            throw ScramException.protocolViolation("invalid SCRAM response", "Nonce does not match.");
        }

        String withoutProof = in.substring(0, proofStart);
        byte[] authMessage = ScramMessageReader.bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] clientSignature = ScramCrypto.hmac(secret.storedKey(), authMessage);
        // ClientProof = ClientKey XOR ClientSignature, so the XOR gives the ClientKey back; it is genuine
        // exactly when H(ClientKey) = StoredKey
        byte[] clientKey = ScramCrypto.xor(proof, clientSignature);
        if (!secret.matchesClientKey(clientKey)) {
            return new Result.Failure("SCRAM client proof does not match the stored secret.");
        }
        byte[] serverSignature = ScramCrypto.hmac(secret.serverKey(), authMessage);
        return new Result.Success(ScramMessageReader.bytes("v=" + ScramCrypto.base64(serverSignature)), clientKey);
    }

    /** How the exchange ended. */
    public sealed interface Result {
        boolean isSuccess();

        /**
         * The client proved it knows the password. {@code serverFinalMessage} goes into AuthenticationSASLFinal;
         * {@code clientKey} lets jpgpool log into backends that hold the same secret (see {@link ScramClient}).
         */
        record Success(byte[] serverFinalMessage, byte[] clientKey) implements Result {
            public Success {
                serverFinalMessage = serverFinalMessage.clone();
                clientKey = clientKey.clone();
            }

            @Override
            public byte[] serverFinalMessage() {
                return serverFinalMessage.clone();
            }

            @Override
            public byte[] clientKey() {
                return clientKey.clone();
            }

            @Override
            public boolean isSuccess() {
                return true;
            }

            /** Leaves the ClientKey out: it is a password equivalent. */
            @Override
            public String toString() {
                return "Success[clientKey=<hidden>]";
            }
        }

        /** Wrong password. {@code logDetail} is for the server log only, never for the client. */
        record Failure(String logDetail) implements Result {
            @Override
            public boolean isSuccess() {
                return false;
            }
        }
    }

    private void readClientFirst(ScramMessageReader in) {
        char flag = in.peek();
        switch (flag) {
            case 'n', 'y' -> {
                // 'y': the client could bind but thinks we cannot, which is true
                in.skip();
                in.expectComma();
            }
            case 'p' -> throw ScramException.malformed("The client selected SCRAM-SHA-256 without channel binding,"
                    + " but the SCRAM message includes channel binding data.");
            default -> throw ScramException.malformed(
                    "Unexpected channel-binding flag \"" + ScramMessageReader.describe(flag) + "\".");
        }
        if (in.peek() == 'a') {
            throw ScramException.notSupported("client uses authorization identity, but it is not supported", null);
        }
        if (in.peek() != ',') {
            throw ScramException.malformed("Unexpected attribute \""
                    + ScramMessageReader.describe(in.peek()) + "\" in client-first-message.");
        }
        in.skip();
        gs2Header = in.substring(0, in.position());
        clientFirstBare = in.rest();

        if (in.peek() == 'm') {
            throw ScramException.notSupported("client requires an unsupported SCRAM extension", null);
        }
        in.readAttribute('n'); // ignored, as PostgreSQL does: the startup packet's user name is the one that counts
        clientNonce = in.readAttribute('r');
        if (!ScramMessageReader.isPrintable(clientNonce)) {
            throw ScramException.protocolViolation("non-printable characters in SCRAM nonce", null);
        }
        while (!in.atEnd()) {
            in.readAnyAttribute(); // optional extensions: none supported, so skipped
        }
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM server is " + state + ", not " + expected);
        }
    }
}
