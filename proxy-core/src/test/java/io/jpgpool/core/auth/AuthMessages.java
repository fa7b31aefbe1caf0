package io.jpgpool.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.frontend.PasswordMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/** What the authentication tests send and expect: client frames, pool_passwd text, outcomes. */
final class AuthMessages {
    private AuthMessages() {
    }

    static PoolPasswd passwd(String text) {
        try {
            return PoolPasswd.parse("pool_passwd", text + "\n");
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteBuf password(String pw) {
        return frame(new PasswordMessage(pw)::encode);
    }

    static ByteBuf frame(Consumer<ByteBuf> encoder) {
        ByteBuf b = Unpooled.buffer();
        encoder.accept(b);
        return b;
    }

    static Authentication challenge(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Challenge.class);
        return ((ClientAuthenticator.Challenge) o).request();
    }

    static ClientAuthenticator.Success success(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Success.class);
        return (ClientAuthenticator.Success) o;
    }

    static ErrorResponse failure(ClientAuthenticator.Outcome o) {
        assertThat(o).isInstanceOf(ClientAuthenticator.Failure.class);
        return ((ClientAuthenticator.Failure) o).error();
    }
}
