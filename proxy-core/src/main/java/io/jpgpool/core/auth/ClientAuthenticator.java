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
 */
public final class ClientAuthenticator {
    /** What to do next. */
    public sealed interface Outcome {
    }

    /** Send this Authentication request to the client and wait for its answer. */
    public record Challenge(Authentication request) implements Outcome {
    }

    /** The client is authenticated; {@code finalMessage} (SCRAM's server-final) is sent before AuthenticationOk. */
    public record Success(Credentials credentials, Authentication finalMessage) implements Outcome {
    }

    /** Refuse the client with this FATAL error. */
    public record Failure(ErrorResponse error) implements Outcome {
    }

    private enum Expect { NOTHING, CLEARTEXT, MD5, SCRAM_FIRST, SCRAM_FINAL }

    private final String user;
    private final PoolPasswdEntry entry;
    private final boolean allowClearTextFrontendAuth;
    private final String knownCleartext;

    private Expect expect = Expect.NOTHING;
    private byte[] salt;
    private ScramServer scram;

    /**
     * @param knownCleartext for a pooled connection made with cleartext auth and no pool_passwd entry: the
     *     password given then, which the new client must repeat (pgpool's re-authentication on reuse)
     */
    public ClientAuthenticator(String user, PoolPasswd poolPasswd, boolean allowClearTextFrontendAuth,
            String knownCleartext) {
        this.user = user;
        this.entry = poolPasswd == null ? null : poolPasswd.lookup(user).orElse(null);
        this.allowClearTextFrontendAuth = allowClearTextFrontendAuth;
        this.knownCleartext = knownCleartext;
    }

    /** Starts with the method the backend wants. */
    public Outcome start(AuthMethod method) {
        Secret secret = secret();
        return switch (method) {
            case TRUST -> new Success(Credentials.none(user), null);
            case CLEARTEXT -> askCleartext();
            case MD5 -> {
                if (secret instanceof Secret.PlainText || secret instanceof Secret.Md5Hash) {
                    salt = Md5Auth.newSalt();
                    expect = Expect.MD5;
                    yield new Challenge(new Authentication.Md5Password(salt));
                }
                if (allowClearTextFrontendAuth && secret == null) {
                    yield askCleartext();
                }
                yield missingPassword("md5", secret);
            }
            case SCRAM_SHA_256 -> {
                if (secret instanceof Secret.PlainText p) {
                    scram = ScramServer.forPassword(p.password());
                } else if (secret instanceof Secret.ScramSecret s) {
                    scram = ScramServer.forSecret(ScramSecret.parse(s.raw()));
                } else if (allowClearTextFrontendAuth && secret == null) {
                    yield askCleartext();
                } else {
                    yield missingPassword("SCRAM", secret);
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
                    if (r instanceof ScramServer.Result.Success ok) {
                        Secret secret = secret();
                        String pw = secret instanceof Secret.PlainText p ? p.password() : null;
                        Credentials c = new Credentials(user, pw, null,
                                pw == null ? ok.clientKey() : null, pw == null ? scram.secret() : null);
                        yield new Success(c, new Authentication.SaslFinal(ok.serverFinalMessage()));
                    }
                    yield wrongPassword();
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
        boolean ok;
        if (secret instanceof Secret.PlainText p) {
            ok = p.password().equals(password);
        } else if (secret instanceof Secret.Md5Hash m) {
            ok = Md5Auth.encrypt(user, password).equals(m.stored());
        } else if (secret instanceof Secret.ScramSecret s) {
            ScramSecret stored = ScramSecret.parse(s.raw());
            ok = ScramSecret.fromPassword(password, stored.salt(), stored.iterations()).equals(stored);
        } else if (knownCleartext != null) {
            ok = knownCleartext.equals(password);
        } else {
            ok = true; // no entry: the backend checks the password
        }
        return ok ? new Success(Credentials.password(user, password), null) : wrongPassword();
    }

    private Outcome checkMd5(String response) {
        expect = Expect.NOTHING;
        Secret secret = secret();
        String hash = secret instanceof Secret.PlainText p ? Md5Auth.encrypt(user, p.password())
                : ((Secret.Md5Hash) secret).stored();
        if (!Md5Auth.verify(hash, salt, response)) {
            return wrongPassword();
        }
        String pw = secret instanceof Secret.PlainText p ? p.password() : null;
        return new Success(new Credentials(user, pw, hash, null, null), null);
    }

    private Secret secret() {
        if (entry == null) {
            return null;
        }
        Secret s = entry.secret();
        if (s instanceof Secret.Aes aes) {
            return AesPasswords.decrypt(aes).<Secret>map(Secret.PlainText::new).orElse(null);
        }
        return s;
    }

    private Outcome wrongPassword() {
        // PostgreSQL's own wording and SQLSTATE, so clients and scripts react as they would to the server
        return fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    private Outcome missingPassword(String method, Secret secret) {
        String detail = secret == null
                ? "pool_passwd file does not contain an entry for \"" + user + "\""
                : "the pool_passwd entry for \"" + user + "\" cannot be used for " + method
                        + " authentication (store the password as text or in the backend's format)";
        return new Failure(ErrorResponse.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                method + " authentication failed", detail));
    }

    private static Outcome fatal(String sqlState, String message) {
        return new Failure(ErrorResponse.fatal(sqlState, message));
    }

    /** Encodes a challenge for the client. */
    public static void encode(Authentication request, ByteBuf out) {
        request.encode(out);
    }
}
