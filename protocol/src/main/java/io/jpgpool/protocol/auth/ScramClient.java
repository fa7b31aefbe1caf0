package io.jpgpool.protocol.auth;

import io.jpgpool.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * jpgpool as the SCRAM-SHA-256 client of one backend connection: one instance per login, used from one thread.
 *
 * <p>The session answers AuthenticationSASL with SASLInitialResponse({@link #MECHANISM}, {@link #clientFirst()}),
 * AuthenticationSASLContinue with {@link #handleServerFirst}, and checks AuthenticationSASLFinal with
 * {@link #handleServerFinal} before it trusts the following AuthenticationOk.
 *
 * <p>Two ways to prove the password: knowing it ({@link #forPassword}), or holding the ClientKey that
 * {@link ScramServer} recovered from the client's proof together with the secret it was checked against
 * ({@link #forClientKey}). The second works only when the backend's secret has the same salt and iteration
 * count, which the backend tells us in its first message; otherwise we stop with a clear error.
 *
 * <p>Like libpq we send an empty user name ({@code n=}; PostgreSQL takes the startup packet's) and no channel
 * binding ({@code n,,}), which every PostgreSQL accepts, with or without TLS.
 */
public final class ScramClient {
    public static final String MECHANISM = ScramServer.MECHANISM;
    private static final String GS2_HEADER = "n,,";

    private enum State { INITIAL, AWAITING_SERVER_FIRST, AWAITING_SERVER_FINAL, AUTHENTICATED, FAILED }

    /** Exactly one of password / (clientKey, passThroughSecret) is set. */
    private final byte[] password;
    private final byte[] passThroughClientKey;
    private final ScramSecret passThroughSecret;
    private final String clientFirstBare;
    private final String clientNonce;
    private State state = State.INITIAL;

    private byte[] serverKey;
    private byte[] authMessage;

    /** {@code username} and {@code clientNonce} are fixed only by tests (RFC 7677's vector); neither is escaped. */
    ScramClient(String username, String clientNonce, byte[] password, byte[] clientKey, ScramSecret secret) {
        this.clientNonce = Objects.requireNonNull(clientNonce, "clientNonce");
        this.clientFirstBare = "n=" + username + ",r=" + clientNonce;
        this.password = password;
        this.passThroughClientKey = clientKey;
        this.passThroughSecret = secret;
    }

    /** Logs in with the plain-text password. */
    public static ScramClient forPassword(String password) {
        return forPassword(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Logs in with a password held as bytes (not UTF-8 ones are hashed raw, as PostgreSQL does). */
    public static ScramClient forPassword(byte[] password) {
        return new ScramClient("", ScramCrypto.newNonce(), password.clone(), null, null);
    }

    /**
     * Pass-through: logs in with the ClientKey a {@link ScramServer} recovered from a client that it checked
     * against {@code secret}. Throws {@link IllegalArgumentException} if the key does not belong to the secret.
     */
    public static ScramClient forClientKey(byte[] clientKey, ScramSecret secret) {
        Objects.requireNonNull(secret, "secret");
        if (!secret.matchesClientKey(clientKey)) {
            throw new IllegalArgumentException("ClientKey does not belong to this SCRAM secret");
        }
        return new ScramClient("", ScramCrypto.newNonce(), null, clientKey.clone(), secret);
    }

    /** The client-first-message: data of SASLInitialResponse. */
    public byte[] clientFirst() {
        requireState(State.INITIAL);
        state = State.AWAITING_SERVER_FIRST;
        return ScramMessageReader.bytes(GS2_HEADER + clientFirstBare);
    }

    /** Reads the server-first-message (AuthenticationSASLContinue data); returns the client-final-message. */
    public byte[] handleServerFirst(byte[] serverFirstMessage) {
        requireState(State.AWAITING_SERVER_FIRST);
        state = State.FAILED; // until we succeed: an exchange that threw cannot be resumed
        ScramMessageReader in = ScramMessageReader.of(serverFirstMessage);
        String nonce = in.readAttribute('r');
        // the server must extend our nonce with its own, never merely echo it
        if (nonce.length() <= clientNonce.length() || !nonce.startsWith(clientNonce)) {
            throw ScramException.protocolViolation("invalid SCRAM response", "Nonce does not match.");
        }
        if (!ScramMessageReader.isPrintable(nonce)) {
            throw ScramException.protocolViolation("non-printable characters in SCRAM nonce", null);
        }
        byte[] salt = ScramCrypto.base64OrNull(in.readAttribute('s'));
        if (salt == null || salt.length == 0) {
            throw ScramException.malformed("Invalid salt in server-first-message.");
        }
        int iterations = parseIterations(in.readAttribute('i'));
        if (!in.atEnd()) {
            throw ScramException.malformed("Garbage found at the end of server-first-message.");
        }

        byte[] clientKey;
        byte[] storedKey;
        if (password != null) {
            byte[] saltedPassword = ScramCrypto.saltedPassword(password, salt, iterations);
            clientKey = ScramCrypto.clientKey(saltedPassword);
            storedKey = ScramCrypto.storedKey(clientKey);
            serverKey = ScramCrypto.serverKey(saltedPassword);
        } else {
            requireSameSaltAndIterations(salt, iterations);
            clientKey = passThroughClientKey;
            storedKey = passThroughSecret.storedKey();
            serverKey = passThroughSecret.serverKey();
        }

        String serverFirst = in.whole();
        String withoutProof = "c=" + ScramCrypto.base64(ScramMessageReader.bytes(GS2_HEADER)) + ",r=" + nonce;
        authMessage = ScramMessageReader.bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] proof = ScramCrypto.xor(clientKey, ScramCrypto.hmac(storedKey, authMessage));
        state = State.AWAITING_SERVER_FINAL;
        return ScramMessageReader.bytes(withoutProof + ",p=" + ScramCrypto.base64(proof));
    }

    /**
     * Checks the server-final-message (AuthenticationSASLFinal data): the server must prove it knows the secret
     * too, or someone in between is posing as the backend.
     */
    public void handleServerFinal(byte[] serverFinalMessage) {
        requireState(State.AWAITING_SERVER_FINAL);
        state = State.FAILED;
        ScramMessageReader in = ScramMessageReader.of(serverFinalMessage);
        if (in.peek() == 'e') {
            String error = in.readAttribute('e');
            throw new ScramException(SqlState.INVALID_PASSWORD, "error received from server in SCRAM exchange: "
                    + ScramMessageReader.describe(error), null);
        }
        byte[] signature = ScramCrypto.base64OrNull(in.readAttribute('v'));
        if (signature == null || signature.length != ScramCrypto.KEY_LENGTH) {
            throw ScramException.malformed("Invalid server signature in server-final-message.");
        }
        if (!in.atEnd()) {
            throw ScramException.malformed("Garbage found at the end of server-final-message.");
        }
        if (!ScramCrypto.same(signature, ScramCrypto.hmac(serverKey, authMessage))) {
            throw new ScramException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "incorrect server signature",
                    "The server could not prove that it knows the password.");
        }
        state = State.AUTHENTICATED;
    }

    /** Whether the server's signature has been checked: only then is the backend's AuthenticationOk believable. */
    public boolean isComplete() {
        return state == State.AUTHENTICATED;
    }

    private void requireSameSaltAndIterations(byte[] salt, int iterations) {
        if (!Arrays.equals(salt, passThroughSecret.salt()) || iterations != passThroughSecret.iterations()) {
            throw new ScramException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "cannot pass SCRAM authentication through to the backend",
                    "The backend's SCRAM secret has salt " + ScramCrypto.base64(salt) + " and " + iterations
                            + " iterations, the client was checked against salt "
                            + ScramCrypto.base64(passThroughSecret.salt()) + " and "
                            + passThroughSecret.iterations() + " iterations. Give the backend the same secret,"
                            + " or give jpgpool the plain-text password.");
        }
    }

    private static int parseIterations(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ScramException.malformed("Invalid iteration count in server-first-message.");
        }
        long value = Long.parseLong(text);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw ScramException.malformed("Invalid iteration count in server-first-message.");
        }
        return (int) value;
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM client is " + state + ", not " + expected);
        }
    }
}
