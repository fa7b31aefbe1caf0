package io.jpgpool.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The SCRAM-SHA-256 example exchange of RFC 7677 section 3 (user "user", password "pencil"). */
class ScramRfc7677Test {
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    @Test
    void clientSendsExactlyTheRfcMessages() {
        ScramClient client = new ScramClient("user", CLIENT_NONCE, bytes("pencil"), null, null);

        assertThat(text(client.clientFirst())).isEqualTo(CLIENT_FIRST);
        assertThat(text(client.handleServerFirst(bytes(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        client.handleServerFinal(bytes(SERVER_FINAL));
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void serverAnswersExactlyTheRfcMessagesAndRecoversTheClientKey() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", SALT, 4096);
        ScramServer server = new ScramServer(secret, SERVER_NONCE);

        assertThat(text(server.handleClientFirst(bytes(CLIENT_FIRST)))).isEqualTo(SERVER_FIRST);
        ScramServer.Result result = server.handleClientFinal(bytes(CLIENT_FINAL));

        assertThat(result).isInstanceOf(ScramServer.Result.Success.class);
        ScramServer.Result.Success success = (ScramServer.Result.Success) result;
        assertThat(text(success.serverFinalMessage())).isEqualTo(SERVER_FINAL);
        byte[] expectedClientKey = ScramCrypto.clientKey(ScramCrypto.hi(bytes("pencil"), SALT, 4096));
        assertThat(success.clientKey()).isEqualTo(expectedClientKey);
    }

    @Test
    void passThroughClientProducesTheSameProofAsThePasswordClient() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", SALT, 4096);
        byte[] clientKey = ScramCrypto.clientKey(ScramCrypto.hi(bytes("pencil"), SALT, 4096));
        ScramClient client = new ScramClient("user", CLIENT_NONCE, null, clientKey, secret);

        client.clientFirst();
        assertThat(text(client.handleServerFirst(bytes(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        client.handleServerFinal(bytes(SERVER_FINAL));
        assertThat(client.isComplete()).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
