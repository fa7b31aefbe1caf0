package io.jpgpool.core.auth;

import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.PoolPasswdEntry;
import io.jpgpool.config.Secret;
import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramException;
import io.jpgpool.protocol.auth.ScramSecret;
import io.jpgpool.protocol.auth.ScramServer;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.PasswordMessage;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * The client's side of authentication, against pool_passwd. jpgpool challenges the client with the method
 * its backend asked for (or that a pooled connection was made with) and, once the client has proved itself,
 * holds {@link Credentials} good for logging into every backend (SEMANTICS E.4, E.5). One instance per login.
 *
 * <p>Who is in: on a login that opens a new backend connection, a client is in when jpgpool verified it
 * against pool_passwd, or, where pool_passwd has nothing for it, when the backend accepts the clear-text
 * password jpgpool took from the client. On the reuse of a pooled connection no backend checks anything, so
 * the client must prove what the connection's own login proved ({@link ReuseProof}); when that cannot be
 * repeated, {@link #forReuse} says so and the session opens a new connection instead.
 *
 * <p>A user jpgpool cannot check (no pool_passwd entry, or one of no use for the method) is challenged all the
 * same and then refused with the {@code 28P01} of a wrong password, as PostgreSQL treats unknown roles: what the
 * client sees never tells which users exist. The reason goes to jpgpool's log ({@link Failure#logDetail}).
 */
public final class ClientAuthenticator {
    /** What to do next. */
    public sealed interface Outcome {
    }

    /** Send this Authentication request to the client and wait for its answer. */
    public record Challenge(Authentication request) implements Outcome {
    }

    /**
     * The client is authenticated; {@code finalMessage} (SCRAM's server-final) is sent before AuthenticationOk.
     * {@code proof} is what a connection made with these credentials keeps for its next client.
     */
    public record Success(Credentials credentials, Authentication finalMessage, ReuseProof proof) implements Outcome {
    }

    /** Refuse the client with this FATAL error; {@code logDetail} (may be null) is for jpgpool's log only. */
    public record Failure(ErrorResponse error, String logDetail) implements Outcome {
        public Failure(ErrorResponse error) {
            this(error, null);
        }
    }

    private enum Expect { NOTHING, CLEARTEXT, MD5, SCRAM_FIRST, SCRAM_FINAL }

    private final String user;
    private final PoolPasswdEntry entry;
    private final boolean allowClearTextFrontendAuth;
    /** Null on a login that opens a new connection: then the backend checks what jpgpool cannot. */
    private final ReuseProof reuse;

    private Expect expect = Expect.NOTHING;
    private AuthMethod started;
    private byte[] salt;
    private ScramServer scram;
    /**
     * Why a challenge under way cannot succeed (no usable pool_passwd entry): the client still goes through it and
     * is refused as for a wrong password, so that nobody learns which users exist (PostgreSQL's mock
     * authentication). Null for a real challenge.
     */
    private String doomed;

    private ClientAuthenticator(String user, PoolPasswd poolPasswd, boolean allowClearTextFrontendAuth,
            ReuseProof reuse) {
        this.user = user;
        this.entry = poolPasswd == null ? null : poolPasswd.lookup(user).orElse(null);
        this.allowClearTextFrontendAuth = allowClearTextFrontendAuth;
        this.reuse = reuse;
    }

    /** A login that opens a new backend connection; {@link #start(AuthMethod)} when the backend asks. */
    public static ClientAuthenticator forNewConnection(String user, PoolPasswd poolPasswd,
            boolean allowClearTextFrontendAuth) {
        return new ClientAuthenticator(user, poolPasswd, allowClearTextFrontendAuth, null);
    }

    /**
     * A login onto a pooled connection made with {@code proof}; {@link #startReuse()} begins it. Empty when the
     * proof cannot be repeated (none kept, or the pool_passwd entry it was checked against changed or went):
     * then the pooled connection must not be used.
     */
    public static Optional<ClientAuthenticator> forReuse(String user, PoolPasswd poolPasswd,
            boolean allowClearTextFrontendAuth, ReuseProof proof) {
        ClientAuthenticator a = new ClientAuthenticator(user, poolPasswd, allowClearTextFrontendAuth, proof);
        boolean repeatable = proof instanceof ReuseProof.Trust || proof instanceof ReuseProof.ClientPassword
                || proof instanceof ReuseProof.PoolPasswd p && a.entry != null && p.sameEntry(a.entry.secret())
                        && a.secret() != null;
        return repeatable ? Optional.of(a) : Optional.empty();
    }

    /** Challenges the client as the pooled connection's first client was. */
    public Outcome startReuse() {
        if (reuse instanceof ReuseProof.Trust) {
            return new Success(Credentials.none(user), null, reuse);
        }
        if (reuse instanceof ReuseProof.ClientPassword) {
            started = AuthMethod.CLEARTEXT;
            return askCleartext();
        }
        return start(((ReuseProof.PoolPasswd) reuse).method());
    }

    /** Starts with the method the backend wants. */
    public Outcome start(AuthMethod method) {
        started = method;
        Secret secret = secret();
        return switch (method) {
            case TRUST -> new Success(Credentials.none(user), null, ReuseProof.TRUST);
            case CLEARTEXT -> askCleartext();
            case MD5 -> {
                if (!(secret instanceof Secret.PlainText || secret instanceof Secret.Md5Hash)) {
                    if (allowClearTextFrontendAuth && secret == null) {
                        yield askCleartext();
                    }
                    doomed = unusable("md5", secret);
                }
                salt = Md5Auth.newSalt();
                expect = Expect.MD5;
                yield new Challenge(new Authentication.Md5Password(salt));
            }
            case SCRAM_SHA_256 -> {
                if (secret instanceof Secret.PlainText p) {
                    scram = ScramServer.forSecret(ScramSecrets.forPassword(user, p.password()));
                } else if (secret instanceof Secret.ScramSecret s) {
                    scram = ScramServer.forSecret(ScramSecret.parse(s.raw()));
                } else if (allowClearTextFrontendAuth && secret == null) {
                    yield askCleartext();
                } else {
                    doomed = unusable("SCRAM", secret);
                    scram = ScramServer.forSecret(ScramSecrets.doomed(user));
                }
                expect = Expect.SCRAM_FIRST;
                yield new Challenge(new Authentication.Sasl(ScramServer.MECHANISMS));
            }
        };
    }

    /** The client answered with a PasswordMessage / SASL message (tag {@code p}). */
    public Outcome onClientMessage(ByteBuf frame) {
        if (frame.getByte(frame.readerIndex()) != FrontendTag.PASSWORD) {
            return fatal(SqlState.PROTOCOL_VIOLATION, "expected password response, got message type "
                    + frame.getByte(frame.readerIndex()));
        }
        try {
            return switch (expect) {
                case CLEARTEXT -> checkCleartext(PasswordMessage.decode(frame).password());
                case MD5 -> checkMd5(PasswordMessage.decode(frame).password());
                case SCRAM_FIRST -> {
                    SASLInitialResponse first = SASLInitialResponse.decode(frame);
                    ScramServer.checkMechanism(first.mechanism());
                    byte[] serverFirst = scram.handleClientFirst(first.data());
                    expect = Expect.SCRAM_FINAL;
                    yield new Challenge(new Authentication.SaslContinue(serverFirst));
                }
                case SCRAM_FINAL -> {
                    ScramServer.Result r = scram.handleClientFinal(SASLResponse.decode(frame).data());
                    expect = Expect.NOTHING;
                    if (doomed != null) {
                        yield wrongPassword(doomed);
                    }
                    if (r instanceof ScramServer.Result.Success ok) {
                        Secret secret = secret();
                        String pw = secret instanceof Secret.PlainText p ? p.password() : null;
                        Credentials c = new Credentials(user, pw, null,
                                pw == null ? ok.clientKey() : null, pw == null ? scram.secret() : null);
                        yield new Success(c, new Authentication.SaslFinal(ok.serverFinalMessage()),
                                ReuseProof.poolPasswd(AuthMethod.SCRAM_SHA_256, entry.secret()));
                    }
                    yield wrongPassword(((ScramServer.Result.Failure) r).logDetail());
                }
                case NOTHING -> fatal(SqlState.PROTOCOL_VIOLATION, "unexpected password message");
            };
        } catch (ScramException e) {
            return new Failure(ErrorResponse.fatal(e.sqlState(), e.getMessage(), e.detail().orElse(null)));
        } catch (ProtocolException e) {
            return fatal(e.sqlState(), e.getMessage());
        } catch (RuntimeException e) {
            return fatal(SqlState.PROTOCOL_VIOLATION, "malformed authentication message");
        }
    }

    private Outcome askCleartext() {
        expect = Expect.CLEARTEXT;
        return new Challenge(new Authentication.CleartextPassword());
    }

    private Outcome checkCleartext(String password) {
        expect = Expect.NOTHING;
        Secret secret = secret();
        Credentials given = Credentials.password(user, password);
        if (reuse instanceof ReuseProof.ClientPassword p) {
            // the password the pooled connection's backend accepted, whatever pool_passwd says meanwhile
            return p.verifier().matches(password) ? new Success(given, null, reuse) : wrongPassword();
        }
        if (secret == null) {
            if (reuse != null) {
                return wrongPassword(); // nothing here can check it, and no backend will
            }
            // no entry: the new connection's backend checks the password, and its verifier is kept for reuse
            return new Success(given, null, new ReuseProof.ClientPassword(PasswordVerifier.of(password)));
        }
        boolean ok;
        if (secret instanceof Secret.PlainText p) {
            ok = p.password().equals(password);
        } else if (secret instanceof Secret.Md5Hash m) {
            ok = Md5Auth.encrypt(user, password).equals(m.stored());
        } else {
            ScramSecret stored = ScramSecret.parse(((Secret.ScramSecret) secret).raw());
            ok = ScramSecret.fromPassword(password, stored.salt(), stored.iterations()).equals(stored);
        }
        return ok ? new Success(given, null, ReuseProof.poolPasswd(started, entry.secret())) : wrongPassword();
    }

    private Outcome checkMd5(String response) {
        expect = Expect.NOTHING;
        if (doomed != null) {
            return wrongPassword(doomed);
        }
        Secret secret = secret();
        String hash = secret instanceof Secret.PlainText p ? Md5Auth.encrypt(user, p.password())
                : ((Secret.Md5Hash) secret).stored();
        if (!Md5Auth.verify(hash, salt, response)) {
            return wrongPassword();
        }
        String pw = secret instanceof Secret.PlainText p ? p.password() : null;
        return new Success(new Credentials(user, pw, hash, null, null), null,
                ReuseProof.poolPasswd(AuthMethod.MD5, entry.secret()));
    }

    private Secret secret() {
        return entry == null ? null : AesPasswords.readable(entry.secret());
    }

    private Outcome wrongPassword() {
        return wrongPassword("password does not match");
    }

    private Outcome wrongPassword(String logDetail) {
        // PostgreSQL's own wording and SQLSTATE, so clients and scripts react as they would to the server
        return new Failure(ErrorResponse.fatal(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + user + "\""), logDetail);
    }

    /** Why pool_passwd cannot check this user with {@code method} (pgpool's words), for the log. */
    private String unusable(String method, Secret secret) {
        if (secret != null) {
            return "the pool_passwd entry for \"" + user + "\" cannot be used for " + method
                    + " authentication (store the password as text or in the backend's format)";
        }
        return entry == null ? "pool_passwd file does not contain an entry for \"" + user + "\""
                : "the AES password of \"" + user + "\" in pool_passwd cannot be decrypted";
    }

    private static Outcome fatal(String sqlState, String message) {
        return new Failure(ErrorResponse.fatal(sqlState, message));
    }

    /** Encodes a challenge for the client. */
    public static void encode(Authentication request, ByteBuf out) {
        request.encode(out);
    }
}
