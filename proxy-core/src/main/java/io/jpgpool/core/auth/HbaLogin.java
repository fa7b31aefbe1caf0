package io.jpgpool.core.auth;

import io.jpgpool.config.HbaLine;
import io.jpgpool.config.HbaMatch;
import io.jpgpool.config.HbaMethod;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.PoolPasswdEntry;
import io.jpgpool.config.Secret;
import io.jpgpool.core.tls.ClientTls;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * A client's way in with {@code enable_pool_hba = on} (SEMANTICS E.3, E.4): the pool_hba.conf line that matched
 * says how the client proves itself, and it does so before any backend connection is opened or taken from the
 * pool. Then the backends are logged into with what the client gave or pool_passwd holds; the client is never
 * asked again (pgpool: the frontend is authenticated). One instance per login.
 *
 * <p>{@code password} with no pool_passwd entry is the one method that proves nothing by itself: the clear-text
 * password goes to the backend, which checks it, as in pgpool. A pooled connection is taken only when its own
 * login went the way this client's would ({@link #admits}), so reuse never lets in a client that a new
 * connection would refuse.
 */
public final class HbaLogin {
    private final HbaMatch match;
    private final String user;
    /** The user's pool_passwd entry when the login began; null: none. */
    private final PoolPasswdEntry entry;
    private ClientAuthenticator challenge;
    private Credentials credentials;
    /** What the challenge proved: a PoolPasswd proof (checked against the entry) or a ClientPassword one. */
    private ReuseProof challenged;

    private HbaLogin(HbaMatch match, String user, PoolPasswd poolPasswd) {
        this.match = match;
        this.user = user;
        this.entry = poolPasswd == null ? null : poolPasswd.lookup(user).orElse(null);
        this.challenge = ClientAuthenticator.forNewConnection(user, poolPasswd, false);
    }

    public static HbaLogin of(HbaMatch match, String user, PoolPasswd poolPasswd) {
        return new HbaLogin(match, user, poolPasswd);
    }

    public HbaMethod method() {
        return match.method();
    }

    /**
     * The first step. {@code certificateCommonName} is the CN of the client's verified certificate, for
     * {@code cert}. The {@link ClientAuthenticator.Success} this or {@link #onClientMessage} returns carries no
     * proof: which one a backend connection keeps depends on what its server asks ({@link #proofFor}).
     */
    public ClientAuthenticator.Outcome start(Optional<String> certificateCommonName) {
        return switch (match.method()) {
            case REJECT -> new ClientAuthenticator.Failure(reject(), match.line().map(l -> "line "
                    + l.location() + " rejects it").orElse("no pool_hba.conf line matches"));
            case TRUST -> authenticatedWithEntry();
            case CERT -> ClientTls.certificateMatchesUser(certificateCommonName, user) ? authenticatedWithEntry()
                    : new ClientAuthenticator.Failure(ErrorResponse.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                            ClientTls.CERT_FAILED_MESSAGE, ClientTls.CERT_FAILED_DETAIL),
                            certificateCommonName.map(cn -> "the certificate's CN is \"" + cn + "\"")
                                    .orElse("no client certificate"));
            case PASSWORD -> remember(challenge.start(AuthMethod.CLEARTEXT));
            case MD5 -> remember(challenge.start(AuthMethod.MD5));
            case SCRAM_SHA_256 -> remember(challenge.start(AuthMethod.SCRAM_SHA_256));
        };
    }

    /** The client's answer to a challenge of {@link #start}. */
    public ClientAuthenticator.Outcome onClientMessage(ByteBuf frame) {
        return remember(challenge.onClientMessage(frame));
    }

    private ClientAuthenticator.Outcome remember(ClientAuthenticator.Outcome o) {
        if (o instanceof ClientAuthenticator.Success s) {
            credentials = s.credentials();
            challenged = s.proof();
            return new ClientAuthenticator.Success(credentials, s.finalMessage(), null);
        }
        return o;
    }

    /** trust and cert: in, with what pool_passwd has for the backends (pgpool's get_auth_password). */
    private ClientAuthenticator.Outcome authenticatedWithEntry() {
        Secret s = entry == null ? null : AesPasswords.readable(entry.secret());
        if (s instanceof Secret.PlainText p) {
            credentials = Credentials.password(user, p.password());
        } else if (s instanceof Secret.Md5Hash m) {
            credentials = new Credentials(user, null, m.stored(), null, null);
        } else {
            credentials = Credentials.none(user); // a SCRAM verifier cannot log into anything by itself
        }
        return new ClientAuthenticator.Success(credentials, null, null);
    }

    /** pgpool's FATAL for a reject line and for no line at all (ClientAuthentication). */
    private ErrorResponse reject() {
        return ErrorResponse.of(BackendTag.ERROR_RESPONSE, "FATAL", SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                HbaMatch.REJECT_MESSAGE, match.rejectionDetail(), HbaMatch.REJECT_HINT);
    }

    /** What the backends are logged into with, once the client is in. */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * pgpool's error when a backend asks for {@code method} and neither the client nor pool_passwd gave what it
     * needs (trust or cert with no usable entry, md5 against an md5 entry for a SCRAM backend...). Empty when the
     * credentials answer it. Only a client the pool_hba check let in gets this far, so it tells nothing to others.
     */
    public Optional<ErrorResponse> cannotAnswer(AuthMethod method) {
        if (credentials.canAnswer(method)) {
            return Optional.empty();
        }
        String state = SqlState.INVALID_AUTHORIZATION_SPECIFICATION;
        return Optional.of(switch (method) {
            case CLEARTEXT -> ErrorResponse.fatal(state, "clear text password authentication failed",
                    "unable to get the password");
            case MD5 -> ErrorResponse.fatal(state, "failed to authenticate with backend using md5",
                    "valid password not found");
            default -> ErrorResponse.fatal(state, "failed to authenticate with backend using SCRAM",
                    "valid password not found");
        });
    }

    /**
     * What a new connection whose server asked for {@code method} keeps for its next client (call once
     * {@link #cannotAnswer} is empty): the clear-text password's verifier when only the backend checked it, else
     * the pool_passwd entry that answered, or that the client was checked against.
     */
    public ReuseProof proofFor(AuthMethod method) {
        if (challenged instanceof ReuseProof.ClientPassword) {
            return challenged;
        }
        return ReuseProof.poolPasswd(method, entry.secret());
    }

    /**
     * Whether this client may have a pooled connection made with {@code proof}, without being asked anything: only
     * when a new connection would have logged in the same way. A backend that trusted the user trusts it again;
     * one that was answered from a pool_passwd entry is answered from the same entry (the client having passed a
     * check against it, or trust, or cert); one that checked a clear-text password gets the same password.
     * Otherwise a new connection is opened and its server checks what the client gave.
     */
    public boolean admits(ReuseProof proof) {
        if (proof instanceof ReuseProof.Trust) {
            return true;
        }
        if (proof instanceof ReuseProof.PoolPasswd p) {
            return entry != null && !(challenged instanceof ReuseProof.ClientPassword)
                    && p.sameEntry(entry.secret()) && credentials.canAnswer(p.method());
        }
        if (proof instanceof ReuseProof.ClientPassword p) {
            return p.verifier().matches(credentials.password());
        }
        return false;
    }

    /**
     * Whether a pooled connection this client may not have ({@link #admits} false) can still serve another: one
     * made with a clear-text password can, for a client with that password; one made from a pool_passwd entry that
     * changed cannot.
     */
    public boolean othersMayUse(ReuseProof proof) {
        return proof instanceof ReuseProof.ClientPassword;
    }

    /** The line that decided, for logs. */
    public Optional<HbaLine> line() {
        return match.line();
    }
}
