package io.jpgpool.core.auth;

import static io.jpgpool.core.auth.AuthMessages.challenge;
import static io.jpgpool.core.auth.AuthMessages.failure;
import static io.jpgpool.core.auth.AuthMessages.frame;
import static io.jpgpool.core.auth.AuthMessages.password;
import static io.jpgpool.core.auth.AuthMessages.passwd;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.HbaMatch;
import io.jpgpool.config.HbaRequest;
import io.jpgpool.config.PoolHba;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramClient;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Given a pool_hba.conf line for the client, when it logs in (SEMANTICS E.3, E.4): what it is asked, whether it is
 * in, what the backends are answered with, and which pooled connections it may take without being asked again.
 */
class HbaLoginTest {
    private static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();

    // ------------------------------------------------------------------ the pool_hba check itself

    @Test
    void aRejectLineAndNoLineAtAllGetPgpoolsFatal() {
        for (String rules : new String[] {"host all alice 127.0.0.1/32 reject", "host all bob 127.0.0.1/32 trust"}) {
            ErrorResponse e = failure(login(rules, "alice", null).start(Optional.empty()));
            assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_AUTHORIZATION_SPECIFICATION);
            assertThat(e.message()).isEqualTo("client authentication failed");
            assertThat(e.detail()).isEqualTo("no pool_hba.conf entry for host \"127.0.0.1\", user \"alice\", "
                    + "database \"app\", SSL off");
            assertThat(e.fields().get(ErrorResponse.HINT)).isEqualTo("see pgpool log for details");
        }
    }

    @Test
    void trustLetsTheClientInWithWhatPoolPasswdHasForTheBackends() {
        HbaLogin withEntry = login("host all all 127.0.0.1/32 trust", "alice", "alice:secret");
        assertThat(withEntry.start(Optional.empty())).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(withEntry.credentials().password()).isEqualTo("secret");
        assertThat(withEntry.cannotAnswer(AuthMethod.SCRAM_SHA_256)).isEmpty();

        HbaLogin without = login("host all all 127.0.0.1/32 trust", "alice", null);
        assertThat(without.start(Optional.empty())).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(without.cannotAnswer(AuthMethod.TRUST)).isEmpty();
        assertThat(without.cannotAnswer(AuthMethod.MD5).orElseThrow().message())
                .isEqualTo("failed to authenticate with backend using md5");
        assertThat(without.cannotAnswer(AuthMethod.CLEARTEXT).orElseThrow().detail())
                .isEqualTo("unable to get the password");
    }

    @Test
    void certWantsACertificateWhoseCommonNameIsTheUserIgnoringCase() {
        String rules = "host all all 127.0.0.1/32 cert";
        assertThat(login(rules, "alice", null).start(Optional.of("ALICE")))
                .isInstanceOf(ClientAuthenticator.Success.class);
        for (Optional<String> cn : java.util.List.of(Optional.of("bob"), Optional.<String>empty())) {
            ErrorResponse e = failure(login(rules, "alice", null).start(cn));
            assertThat(e.message()).isEqualTo("CERT authentication failed");
            assertThat(e.detail()).isEqualTo("no valid certificate presented");
        }
    }

    @Test
    void passwordWithoutAnEntryTakesAnyPasswordForTheBackendToCheck() {
        HbaLogin a = login("host all all 127.0.0.1/32 password", "alice", null);
        assertThat(challenge(a.start(Optional.empty()))).isInstanceOf(Authentication.CleartextPassword.class);
        assertThat(a.onClientMessage(password("typed"))).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(a.credentials().password()).isEqualTo("typed");
        ReuseProof proof = a.proofFor(AuthMethod.SCRAM_SHA_256);
        assertThat(proof).isInstanceOf(ReuseProof.ClientPassword.class);
        assertThat(((ReuseProof.ClientPassword) proof).verifier().matches("typed")).isTrue();
    }

    @Test
    void passwordWithAnEntryIsCheckedAgainstIt() {
        String entry = "alice:" + Md5Auth.encrypt("alice", "secret");
        HbaLogin wrong = login("host all all 127.0.0.1/32 password", "alice", entry);
        challenge(wrong.start(Optional.empty()));
        assertThat(failure(wrong.onClientMessage(password("wrong"))).sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);

        HbaLogin right = login("host all all 127.0.0.1/32 password", "alice", entry);
        challenge(right.start(Optional.empty()));
        assertThat(right.onClientMessage(password("secret"))).isInstanceOf(ClientAuthenticator.Success.class);
        // the backend gets the password the client typed, whatever it asks for
        assertThat(right.cannotAnswer(AuthMethod.SCRAM_SHA_256)).isEmpty();
        assertThat(right.proofFor(AuthMethod.SCRAM_SHA_256)).isInstanceOf(ReuseProof.PoolPasswd.class);
    }

    @Test
    void md5IsJpgpoolsOwnSaltAgainstPoolPasswdAndAnUnknownUserLooksLikeAWrongPassword() {
        String rules = "host all all 127.0.0.1/32 md5";
        HbaLogin known = login(rules, "alice", "alice:secret");
        assertThat(md5(known, "alice", "secret")).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(known.proofFor(AuthMethod.MD5)).isInstanceOf(ReuseProof.PoolPasswd.class);

        ErrorResponse wrong = failure(md5(login(rules, "alice", "alice:secret"), "alice", "wrong"));
        ErrorResponse unknown = failure(md5(login(rules, "carol", "alice:secret"), "carol", "secret"));
        assertThat(unknown.sqlState()).isEqualTo(wrong.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(unknown.message().replace("carol", "alice")).isEqualTo(wrong.message());
    }

    @Test
    void scramAgainstAPlainEntryLogsIntoAnyBackendAnMd5HashOnlyIntoMd5Ones() {
        String rules = "host all all 127.0.0.1/32 scram-sha-256";
        HbaLogin plain = login(rules, "alice", "alice:secret");
        assertThat(scram(plain, "secret")).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(plain.cannotAnswer(AuthMethod.CLEARTEXT)).isEmpty();

        HbaLogin md5Rule = login("host all all 127.0.0.1/32 md5", "alice", "alice:" + Md5Auth.encrypt("alice", "s"));
        assertThat(md5(md5Rule, "alice", "s")).isInstanceOf(ClientAuthenticator.Success.class);
        assertThat(md5Rule.cannotAnswer(AuthMethod.MD5)).isEmpty();
        assertThat(md5Rule.cannotAnswer(AuthMethod.SCRAM_SHA_256).orElseThrow().message())
                .isEqualTo("failed to authenticate with backend using SCRAM");
    }

    // ------------------------------------------------------------------ reuse of pooled connections

    @Test
    void aClientInByPoolHbaTakesAPooledConnectionOnlyWhereANewOneWouldLogInTheSameWay() {
        PoolPasswd pp = passwd("alice:secret");
        HbaLogin in = HbaLogin.of(match("host all all 127.0.0.1/32 md5", "alice"), "alice", pp);
        md5(in, "alice", "secret");
        assertThat(in.admits(ReuseProof.TRUST)).isTrue();
        assertThat(in.admits(ReuseProof.poolPasswd(AuthMethod.SCRAM_SHA_256, pp.lookup("alice").get().secret())))
                .as("made from the same entry").isTrue();
        assertThat(in.admits(ReuseProof.poolPasswd(AuthMethod.MD5, passwd("alice:old").lookup("alice").get()
                .secret()))).as("made from an entry since changed").isFalse();
        assertThat(in.admits(new ReuseProof.ClientPassword(PasswordVerifier.of("secret"))))
                .as("the backend accepted the entry's password: a new connection would log in with it").isTrue();
        assertThat(in.admits(null)).isFalse();

        PoolPasswd hashed = passwd("alice:" + Md5Auth.encrypt("alice", "secret"));
        HbaLogin noPassword = HbaLogin.of(match("host all all 127.0.0.1/32 md5", "alice"), "alice", hashed);
        md5(noPassword, "alice", "secret");
        assertThat(noPassword.admits(new ReuseProof.ClientPassword(PasswordVerifier.of("secret"))))
                .as("only the backend checked a password, and jpgpool knows only a hash of it").isFalse();
    }

    @Test
    void aClearTextPasswordNoEntryCheckedTakesOnlyAConnectionMadeWithTheSamePassword() {
        HbaLogin a = login("host all all 127.0.0.1/32 password", "alice", null);
        a.start(Optional.empty());
        a.onClientMessage(password("typed"));
        assertThat(a.admits(new ReuseProof.ClientPassword(PasswordVerifier.of("typed")))).isTrue();
        assertThat(a.admits(new ReuseProof.ClientPassword(PasswordVerifier.of("other")))).isFalse();
        assertThat(a.admits(ReuseProof.poolPasswd(AuthMethod.MD5, passwd("alice:typed").lookup("alice").get()
                .secret()))).as("no entry checked this client").isFalse();
        assertThat(a.admits(ReuseProof.TRUST)).as("the backend trusts anyone of this user").isTrue();
    }

    @Test
    void aTrustedClientWithoutAnEntryNeverTakesAConnectionABackendCheckedAPasswordFor() {
        HbaLogin a = login("host all all 127.0.0.1/32 trust", "alice", null);
        a.start(Optional.empty());
        assertThat(a.admits(new ReuseProof.ClientPassword(PasswordVerifier.of("typed")))).isFalse();
        assertThat(a.admits(ReuseProof.TRUST)).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private static HbaLogin login(String rules, String user, String poolPasswd) {
        return HbaLogin.of(match(rules, user), user, poolPasswd == null ? null : passwd(poolPasswd));
    }

    private static HbaMatch match(String rules, String user) {
        try {
            return PoolHba.parse("pool_hba.conf", rules + "\n", Path.of("."), false)
                    .match(HbaRequest.tcp(LOCALHOST, false, "app", user));
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClientAuthenticator.Outcome md5(HbaLogin a, String user, String pw) {
        Authentication.Md5Password c = (Authentication.Md5Password) challenge(a.start(Optional.empty()));
        return a.onClientMessage(password(Md5Auth.saltedResponse(Md5Auth.encrypt(user, pw), c.salt())));
    }

    private static ClientAuthenticator.Outcome scram(HbaLogin a, String pw) {
        assertThat(challenge(a.start(Optional.empty()))).isInstanceOf(Authentication.Sasl.class);
        ScramClient client = ScramClient.forPassword(pw);
        Authentication.SaslContinue first = (Authentication.SaslContinue) challenge(a.onClientMessage(
                frame(new SASLInitialResponse("SCRAM-SHA-256", client.clientFirst())::encode)));
        return a.onClientMessage(frame(new SASLResponse(client.handleServerFirst(first.data()))::encode));
    }

}
