package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** jpgpool's SCRAM client talking to jpgpool's SCRAM server, and the ongres client (pgjdbc's) to our server. */
class ScramRoundTripTest {

    @Test
    void clientWithThePasswordLogsIntoAServerBuiltFromThePassword() {
        ScramServer server = ScramServer.forPassword("s3cret");
        ScramClient client = ScramClient.forPassword("s3cret");

        ScramServer.Result result = exchange(client, server);

        assertThat(result.isSuccess()).isTrue();
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void clientWithThePasswordLogsIntoAServerBuiltFromTheStoredSecret() {
        ScramSecret secret = ScramSecret.parse(ScramSecret.generate("s3cret").format());

        ScramClient client = ScramClient.forPassword("s3cret");
        assertThat(exchange(client, ScramServer.forSecret(secret)).isSuccess()).isTrue();
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void saslPrepEquivalentPasswordsAreTheSamePassword() {
        ScramServer server = ScramServer.forPassword("\u2168"); // ROMAN NUMERAL NINE

        assertThat(exchange(ScramClient.forPassword("IX"), server).isSuccess()).isTrue();
    }

    @Test
    void wrongPasswordIsAFailureNotAnException() {
        ScramServer server = ScramServer.forPassword("s3cret");
        ScramClient client = ScramClient.forPassword("guess");

        ScramServer.Result result = exchange(client, server);

        assertThat(result).isInstanceOf(ScramServer.Result.Failure.class);
        assertThat(result.isSuccess()).isFalse();
        assertThat(client.isComplete()).isFalse();
    }

    @Test
    void passThroughTheClientKeyRecoveredByOneServerLogsIntoAnotherWithTheSameSecret() {
        // given: the client's secret, as pool_passwd and the backend's pg_authid both hold it
        ScramSecret secret = ScramSecret.generate("s3cret");

        // when: jpgpool authenticates the client and keeps the ClientKey it recovers
        ScramServer.Result.Success front = (ScramServer.Result.Success)
                exchange(ScramClient.forPassword("s3cret"), ScramServer.forSecret(secret));
        ScramClient toBackend = ScramClient.forClientKey(front.clientKey(), secret);

        // then: jpgpool logs into the "backend" without ever knowing the password
        ScramServer backend = ScramServer.forSecret(secret);
        assertThat(exchange(toBackend, backend).isSuccess()).isTrue();
        assertThat(toBackend.isComplete()).isTrue();
    }

    @Test
    void passThroughStopsClearlyWhenTheBackendHasAnotherSaltOrIterationCount() {
        ScramSecret ours = ScramSecret.generate("s3cret");
        byte[] clientKey = recoverClientKey("s3cret", ours);

        for (ScramSecret backendSecret : List.of(ScramSecret.generate("s3cret"),
                ScramSecret.fromPassword("s3cret", ours.salt(), 8192))) {
            ScramClient client = ScramClient.forClientKey(clientKey, ours);
            ScramServer backend = ScramServer.forSecret(backendSecret);
            byte[] serverFirst = backend.handleClientFirst(client.clientFirst());

            assertThatThrownBy(() -> client.handleServerFirst(serverFirst))
                    .isInstanceOf(ScramException.class)
                    .hasMessage("cannot pass SCRAM authentication through to the backend")
                    .satisfies(e -> assertThat(((ScramException) e).detail()).get().asString()
                            .contains("plain-text password"))
                    .satisfies(e -> assertThat(((ScramException) e).sqlState()).isEqualTo("28000"));
        }
    }

    @Test
    void passThroughRefusesAClientKeyThatIsNotTheSecrets() {
        ScramSecret secret = ScramSecret.generate("s3cret");
        byte[] otherKey = recoverClientKey("other", ScramSecret.generate("other"));

        assertThatThrownBy(() -> ScramClient.forClientKey(otherKey, secret))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramClient.forClientKey(new byte[3], secret))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientRefusesAServerThatCannotProveItKnowsTheSecret() {
        // an impostor who knows the salt and iteration count, but not the keys
        ScramSecret real = ScramSecret.generate("s3cret");
        ScramSecret impostor = new ScramSecret(real.iterations(), real.salt(), real.storedKey(),
                ScramSecret.generate("x").serverKey());
        ScramClient client = ScramClient.forPassword("s3cret");
        ScramServer server = ScramServer.forSecret(impostor);

        byte[] serverFirst = server.handleClientFirst(client.clientFirst());
        ScramServer.Result.Success result = (ScramServer.Result.Success)
                server.handleClientFinal(client.handleServerFirst(serverFirst));

        assertThatThrownBy(() -> client.handleServerFinal(result.serverFinalMessage()))
                .isInstanceOf(ScramException.class)
                .hasMessage("incorrect server signature");
        assertThat(client.isComplete()).isFalse();
    }

    @Test
    void clientReportsAServerError() {
        ScramClient client = ScramClient.forPassword("s3cret");
        ScramServer server = ScramServer.forPassword("s3cret");
        server.handleClientFinal(client.handleServerFirst(server.handleClientFirst(client.clientFirst())));

        assertThatThrownBy(() -> client.handleServerFinal(bytes("e=invalid-proof")))
                .isInstanceOf(ScramException.class)
                .hasMessage("error received from server in SCRAM exchange: invalid-proof");
    }

    @Test
    void clientSendsNoUserNameAndNoChannelBinding() {
        String first = text(ScramClient.forPassword("x").clientFirst());

        assertThat(first).matches("n,,n=,r=[A-Za-z0-9+/=]{24}");
        assertThat(first).isNotEqualTo(text(ScramClient.forPassword("x").clientFirst()));
    }

    @Test
    void serverAcceptsAClientThatCouldBindButThinksWeCannot() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", new byte[16], 4096);
        ScramServer server = new ScramServer(secret, "SERVERNONCE");
        server.handleClientFirst(bytes("y,,n=,r=CLIENTNONCE"));

        // "eSws" is base64 of "y,,"; the client must repeat the flag it sent
        byte[] proof = proofFor("pencil", secret, "n=,r=CLIENTNONCE",
                "r=CLIENTNONCESERVERNONCE,s=AAAAAAAAAAAAAAAAAAAAAA==,i=4096", "c=eSws,r=CLIENTNONCESERVERNONCE");
        ScramServer.Result result = server.handleClientFinal(
                bytes("c=eSws,r=CLIENTNONCESERVERNONCE,p=" + ScramCrypto.base64(proof)));

        assertThat(result.isSuccess()).isTrue();
    }

    @Test
    void serverSkipsOptionalExtensionsAndHashesTheMessagesByteForByte() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", new byte[16], 4096);
        ScramServer server = new ScramServer(secret, "SN");
        // a Latin-1 user name (not UTF-8) and an extension after the nonce
        byte[] clientFirst = "n,,n=j\u00fcrgen,r=CN,x=ext".getBytes(StandardCharsets.ISO_8859_1);
        server.handleClientFirst(clientFirst);

        String serverFirst = "r=CNSN,s=AAAAAAAAAAAAAAAAAAAAAA==,i=4096";
        String withoutProof = "c=biws,r=CNSN,y=other";
        byte[] proof = proofFor("pencil", secret, "n=j\u00fcrgen,r=CN,x=ext", serverFirst, withoutProof);
        ScramServer.Result result = server.handleClientFinal(
                (withoutProof + ",p=" + ScramCrypto.base64(proof)).getBytes(StandardCharsets.ISO_8859_1));

        assertThat(result.isSuccess()).isTrue();
    }

    @Test
    void pgjdbcsScramClientLogsIntoOurServer() throws Exception {
        ScramServer server = ScramServer.forPassword("s3cret");
        com.ongres.scram.client.ScramClient ongres = com.ongres.scram.client.ScramClient.builder()
                .advertisedMechanisms(ScramServer.MECHANISMS)
                .username("alice")
                .password("s3cret".toCharArray())
                .stringPreparation(com.ongres.scram.common.StringPreparation.POSTGRESQL_PREPARATION)
                .build();

        byte[] serverFirst = server.handleClientFirst(bytes(ongres.clientFirstMessage().toString()));
        ongres.serverFirstMessage(text(serverFirst));
        ScramServer.Result result = server.handleClientFinal(bytes(ongres.clientFinalMessage().toString()));

        assertThat(result.isSuccess()).isTrue();
        ongres.serverFinalMessage(text(((ScramServer.Result.Success) result).serverFinalMessage()));
    }

    @Test
    void mechanismCheckAndStateMachineMisuse() {
        ScramServer.checkMechanism("SCRAM-SHA-256");
        assertThatThrownBy(() -> ScramServer.checkMechanism("SCRAM-SHA-256-PLUS"))
                .isInstanceOf(ScramException.class)
                .hasMessage("client selected an invalid SASL authentication mechanism");

        ScramServer server = ScramServer.forPassword("x");
        assertThatThrownBy(() -> server.handleClientFinal(bytes("c=biws")))
                .isInstanceOf(IllegalStateException.class);
        ScramClient client = ScramClient.forPassword("x");
        assertThatThrownBy(() -> client.handleServerFinal(bytes("v=x")))
                .isInstanceOf(IllegalStateException.class);
        client.clientFirst();
        assertThatThrownBy(client::clientFirst).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void successResultDoesNotPrintTheClientKey() {
        ScramServer.Result result = exchange(ScramClient.forPassword("x"), ScramServer.forPassword("x"));

        assertThat(result.toString()).doesNotContain(
                ScramCrypto.base64(((ScramServer.Result.Success) result).clientKey()));
    }

    /** Runs a whole exchange; checks the server's signature on the client when the server says yes. */
    private static ScramServer.Result exchange(ScramClient client, ScramServer server) {
        byte[] serverFirst = server.handleClientFirst(client.clientFirst());
        ScramServer.Result result = server.handleClientFinal(client.handleServerFirst(serverFirst));
        if (result instanceof ScramServer.Result.Success success) {
            client.handleServerFinal(success.serverFinalMessage());
        }
        return result;
    }

    private static byte[] recoverClientKey(String password, ScramSecret secret) {
        return ((ScramServer.Result.Success) exchange(ScramClient.forPassword(password),
                ScramServer.forSecret(secret))).clientKey();
    }

    private static byte[] proofFor(String password, ScramSecret secret, String clientFirstBare, String serverFirst,
            String withoutProof) {
        byte[] clientKey = ScramCrypto.clientKey(ScramCrypto.hi(bytes(password), secret.salt(), secret.iterations()));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.ISO_8859_1);
        return ScramCrypto.xor(clientKey, ScramCrypto.hmac(secret.storedKey(), authMessage));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
