package io.jpgpool.core.auth;

import static io.jpgpool.core.auth.AuthMessages.challenge;
import static io.jpgpool.core.auth.AuthMessages.failure;
import static io.jpgpool.core.auth.AuthMessages.frame;
import static io.jpgpool.core.auth.AuthMessages.password;
import static io.jpgpool.core.auth.AuthMessages.passwd;
import static io.jpgpool.core.auth.AuthMessages.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PoolPasswd;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramClient;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
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
    void withoutAllowClearTextAnMd5BackendNeedsAPoolPasswdEntryButTheClientIsToldOnlyThatItsPasswordIsWrong() {
        ClientAuthenticator a = ClientAuthenticator.forNewConnection(USER, null, false);
        Authentication.Md5Password c = (Authentication.Md5Password) challenge(a.start(AuthMethod.MD5));
        ClientAuthenticator.Failure f = (ClientAuthenticator.Failure) a.onClientMessage(password(md5("secret",
                c.salt())));
        assertThat(f.error().sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(f.error().message()).isEqualTo("password authentication failed for user \"alice\"");
        assertThat(f.error().detail()).isNull();
        assertThat(f.logDetail()).isEqualTo("pool_passwd file does not contain an entry for \"alice\"");
    }

    @Test
    void anUnknownUserAndAWrongPasswordLookTheSameInScram() {
        PoolPasswd pp = passwd(USER + ":secret\nbob:" + Md5Auth.encrypt("bob", "secret"));
        ClientAuthenticator.Failure wrong = (ClientAuthenticator.Failure) scram(
                ClientAuthenticator.forNewConnection(USER, pp, false), AuthMethod.SCRAM_SHA_256, "wrong");
        ClientAuthenticator.Failure unknown = (ClientAuthenticator.Failure) scram(
                ClientAuthenticator.forNewConnection("carol", pp, false), AuthMethod.SCRAM_SHA_256, "secret");
        ClientAuthenticator.Failure md5Entry = (ClientAuthenticator.Failure) scram(
                ClientAuthenticator.forNewConnection("bob", pp, false), AuthMethod.SCRAM_SHA_256, "secret");
        assertThat(wrong.error().fields()).isEqualTo(withUser(unknown.error().fields(), "carol"))
                .isEqualTo(withUser(md5Entry.error().fields(), "bob"));
        assertThat(unknown.logDetail()).contains("does not contain an entry");
        assertThat(md5Entry.logDetail()).contains("cannot be used for SCRAM");
    }

    @Test
    void theScramSaltOfAUserIsTheSameAttemptAfterAttemptKnownOrNot() {
        PoolPasswd pp = passwd(USER + ":secret");
        assertThat(serverFirstSalt(USER, pp)).isEqualTo(serverFirstSalt(USER, pp));
        assertThat(serverFirstSalt("carol", pp)).isEqualTo(serverFirstSalt("carol", pp))
                .isNotEqualTo(serverFirstSalt(USER, pp));
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

    private static ClientAuthenticator.Outcome scram(ClientAuthenticator a, AuthMethod method, String password) {
        return scram(a, a.start(method), password);
    }

    private static java.util.Map<Character, String> withUser(java.util.Map<Character, String> fields, String user) {
        java.util.Map<Character, String> m = new java.util.LinkedHashMap<>(fields);
        m.replaceAll((k, v) -> v.replace("\"" + user + "\"", "\"" + USER + "\""));
        return m;
    }

    /** The s= attribute of the server-first-message a client of {@code user} gets. */
    private static String serverFirstSalt(String user, PoolPasswd pp) {
        ClientAuthenticator a = ClientAuthenticator.forNewConnection(user, pp, false);
        challenge(a.start(AuthMethod.SCRAM_SHA_256));
        ScramClient client = ScramClient.forPassword("x");
        Authentication.SaslContinue first = (Authentication.SaslContinue) challenge(a.onClientMessage(
                frame(new SASLInitialResponse("SCRAM-SHA-256", client.clientFirst())::encode)));
        String text = new String(first.data(), java.nio.charset.StandardCharsets.UTF_8);
        return text.replaceAll(".*,s=([^,]*),.*", "$1");
    }

    private static String md5(String password, byte[] salt) {
        return Md5Auth.saltedResponse(Md5Auth.encrypt(USER, password), salt);
    }

}
