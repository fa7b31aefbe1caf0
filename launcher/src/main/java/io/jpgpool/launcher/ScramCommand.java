package io.jpgpool.launcher;

import io.jpgpool.config.ConfigException;
import io.jpgpool.protocol.auth.ScramSecret;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpgpool scram} (no Pgpool-II counterpart): a SCRAM-SHA-256 verifier as PostgreSQL stores it
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}), printed or with {@code -m} written to
 * pool_passwd. jpgpool logs in to backends with the key the client's proof reveals only when the verifier equals
 * the backend's: to get that, copy {@code rolpassword} from {@code pg_authid} rather than make a new one here.
 */
@Command(name = "scram", mixinStandardHelpOptions = true,
        description = "A SCRAM-SHA-256 verifier for pool_passwd (random salt), or with -m its pool_passwd entry.")
final class ScramCommand extends PoolPasswdCommand {
    @Option(names = {"-m", "--update-pass"}, description = "create the entry in pool_passwd")
    boolean updatePass;

    @Option(names = "--iterations", defaultValue = "" + ScramSecret.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}, PostgreSQL's)")
    int iterations;

    @Override
    String passwordPrompt() {
        return "password: ";
    }

    @Override
    boolean handle(String user, String pw) throws ConfigException {
        if (iterations < 1) {
            err.println("Error: --iterations must be at least 1");
            return false;
        }
        byte[] salt = new byte[ScramSecret.DEFAULT_SALT_LENGTH];
        new SecureRandom().nextBytes(salt);
        String verifier = ScramSecret.fromPassword(pw, salt, iterations).format();
        if (updatePass) {
            return writeEntry(user, verifier);
        }
        out.println(verifier);
        return true;
    }
}
