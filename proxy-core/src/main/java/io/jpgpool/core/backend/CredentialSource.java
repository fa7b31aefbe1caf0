package io.jpgpool.core.backend;

import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.Credentials;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gives a logging-in backend connection the credentials for the method its server asked for. The first
 * connection of a session asks the client (so the client is challenged with the backend's method, SEMANTICS
 * E.4); later ones answer from what the session already learnt.
 */
@FunctionalInterface
public interface CredentialSource {
    CompletionStage<Credentials> credentialsFor(AuthMethod method);

    static CredentialSource of(Credentials known) {
        return method -> CompletableFuture.completedFuture(known);
    }
}
