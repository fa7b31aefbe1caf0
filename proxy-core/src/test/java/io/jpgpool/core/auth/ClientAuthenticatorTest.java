package io.jpgpool.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PoolPasswd;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramClient;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.frontend.PasswordMessage;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Who is let in: on a first login and on the reuse of a pooled connection, for each way a client can prove
 * itself (SEMANTICS E.4). The reuse cases are the hole of Pgpool-II's 020.allow_clear_text_frontend_auth: a
 * pooled connection must never admit a client its first login would not have admitted.
 */
class ClientAuthenticatorTest {
    private static final String USER = "alice";

    // ------------------------------------------------------------------ first login, no pool_passwd entry

    @Test
    void aClearTextPasswordWithNoEntryIsLeftToTheNewConnectionsBackendAndItsVerifierIsKept() {
        ClientAuthenticator a = ClientAuthenticator.forNewConnection(USER, null, true);
        assertThat(challenge(a.start(AuthMethod.SCRAM_SHA_256))).isInstanceOf(Authentication.CleartextPassword.class);
        ClientAuthenticator.Success ok = success(a.onClientMessage(password("secret")));
        assertThat(ok.credentials().password()).isEqualTo("secret");
        assertThat(ok.proof()).isInstanceOf(ReuseProof.ClientPassword.class);
        assertThat(((ReuseProof.ClientPassword) ok.proof()).verifier().matches("secret")).isTrue();
    }

    @Test
    void withoutAllowClearTextAnMd5BackendNeedsAPoolPasswdEntry() {
        ClientAuthenticator a = ClientAuthenticator.forNewConnection(USER, null, false);
        assertThat(failure(a.start(AuthMethod.MD5)).message()).isEqualTo("md5 authentication failed");
    }

    @Test
    void aTrustingBackendAsksNothing() {
        ClientAuthenticator.Success ok = success(ClientAuthenticator.forNewConnection(USER, null, false)
                .start(AuthMethod.TRUST));
        assertThat(ok.proof()).isEqualTo(ReuseProof.TRUST);
    }

    // ------------------------------------------------------------------ reuse after a clear-text first login

    @Test
    void reuseAfterAClearTextLoginWantsTheSamePassword() {
        ReuseProof proof = new ReuseProof.ClientPassword(PasswordVerifier.of("secret"));
        assertThat(reuse(null, proof, "secret")).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(failure(reuse(null, proof, "wrong")).sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(failure(reuse(null, proof, "")).message())
                .isEqualTo("password authentication failed for user \"alice\"");
    }

    @Test
    void reuseAfterAClearTextLoginIgnoresAnEntryAddedToPoolPasswdSince() {
        ReuseProof proof = new ReuseProof.ClientPassword(PasswordVerifier.of("secret"));
        PoolPasswd added = passwd(USER + ":other");
        assertThat(failure(reuse(added, proof, "other")).sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(reuse(added, proof, "secret")).isInstanceOf(ClientAuthenticator.Success.class);
    }

    // ------------------------------------------------------------------ reuse after a pool_passwd login

    @Test
    void reuseAfterAnMd5LoginRunsTheMd5ExchangeAgainstPoolPasswd() {
        PoolPasswd pp = passwd(USER + ":" + Md5Auth.encrypt(USER, "secret"));
        ReuseProof proof = firstLoginMd5(pp, "secret");
        assertThat(proof).isInstanceOf(ReuseProof.PoolPasswd.class);

        assertThat(md5Reuse(pp, proof, "secret")).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(failure(md5Reuse(pp, proof, "wrong")).sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
    }

    @Test
    void reuseAfterAScramLoginRunsTheScramExchangeAgainstPoolPasswd() {
        PoolPasswd pp = passwd(USER + ":secret");
        ClientAuthenticator first = ClientAuthenticator.forNewConnection(USER, pp, false);
        ReuseProof proof = success(scram(first, first.start(AuthMethod.SCRAM_SHA_256), "secret")).proof();

        ClientAuthenticator again = ClientAuthenticator.forReuse(USER, pp, false, proof).orElseThrow();
        assertThat(scram(again, again.startReuse(), "secret")).isInstanceOf(ClientAuthenticator.Success.class);
        ClientAuthenticator wrong = ClientAuthenticator.forReuse(USER, pp, false, proof).orElseThrow();
        assertThat(failure(scram(wrong, wrong.startReuse(), "wrong")).sqlState())
                .isEqualTo(SqlState.INVALID_PASSWORD);
    }

    @Test
    void aPooledConnectionIsNotReusedOnceItsPoolPasswdEntryChangedOrWent() {
        PoolPasswd pp = passwd(USER + ":" + Md5Auth.encrypt(USER, "secret"));
        ReuseProof proof = firstLoginMd5(pp, "secret");
        assertThat(ClientAuthenticator.forReuse(USER, passwd(USER + ":" + Md5Auth.encrypt(USER, "new")), false,
                proof)).isEmpty();
        assertThat(ClientAuthenticator.forReuse(USER, passwd("bob:x"), true, proof)).isEmpty();
        assertThat(ClientAuthenticator.forReuse(USER, null, true, proof)).isEmpty();
    }

    @Test
    void aConnectionThatNoLoginVouchedForIsNeverReused() {
        assertThat(ClientAuthenticator.forReuse(USER, null, true, null)).isEmpty();
    }

    @Test
    void reuseOfATrustedConnectionAsksNothing() {
        ClientAuthenticator a = ClientAuthenticator.forReuse(USER, null, false, ReuseProof.TRUST).orElseThrow();
        assertThat(a.startReuse()).isInstanceOf(ClientAuthenticator.Success.class);
    }

    // ------------------------------------------------------------------ helpers

    private static ReuseProof firstLoginMd5(PoolPasswd pp, String password) {
        ClientAuthenticator a = ClientAuthenticator.forNewConnection(USER, pp, false);
        Authentication.Md5Password c = (Authentication.Md5Password) challenge(a.start(AuthMethod.MD5));
        return success(a.onClientMessage(password(md5(password, c.salt())))).proof();
    }

    private static ClientAuthenticator.Outcome md5Reuse(PoolPasswd pp, ReuseProof proof, String password) {
        ClientAuthenticator a = ClientAuthenticator.forReuse(USER, pp, false, proof).orElseThrow();
        Authentication.Md5Password c = (Authentication.Md5Password) challenge(a.startReuse());
        return a.onClientMessage(password(md5(password, c.salt())));
    }

    private static ClientAuthenticator.Outcome reuse(PoolPasswd pp, ReuseProof proof, String password) {
        ClientAuthenticator a = ClientAuthenticator.forReuse(USER, pp, true, proof).orElseThrow();
        assertThat(challenge(a.startReuse())).isInstanceOf(Authentication.CleartextPassword.class);
        return a.onClientMessage(password(password));
    }

    private static ClientAuthenticator.Outcome scram(ClientAuthenticator a, ClientAuthenticator.Outcome start,
            String password) {
        assertThat(challenge(start)).isInstanceOf(Authentication.Sasl.class);
        ScramClient client = ScramClient.forPassword(password);
        ClientAuthenticator.Outcome o = a.onClientMessage(
                frame(new SASLInitialResponse("SCRAM-SHA-256", client.clientFirst())::encode));
        Authentication.SaslContinue serverFirst = (Authentication.SaslContinue) challenge(o);
        return a.onClientMessage(frame(new SASLResponse(client.handleServerFirst(serverFirst.data()))::encode));
    }

    private static String md5(String password, byte[] salt) {
        return Md5Auth.saltedResponse(Md5Auth.encrypt(USER, password), salt);
    }

    private static PoolPasswd passwd(String text) {
        try {
            return PoolPasswd.parse("pool_passwd", text + "\n");
        } catch (io.jpgpool.config.ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuf password(String pw) {
        return frame(new PasswordMessage(pw)::encode);
    }

    private static ByteBuf frame(Consumer<ByteBuf> encoder) {
        ByteBuf b = Unpooled.buffer();
        encoder.accept(b);
        return b;
    }

    private static Authentication challenge(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Challenge.class);
        return ((ClientAuthenticator.Challenge) o).request();
    }

    private static ClientAuthenticator.Success success(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Success.class);
        return (ClientAuthenticator.Success) o;
    }

    private static io.jpgpool.protocol.backend.ErrorResponse failure(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Failure.class);
        return ((ClientAuthenticator.Failure) o).error();
    }
}
