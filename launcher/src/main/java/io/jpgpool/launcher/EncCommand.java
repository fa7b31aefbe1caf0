package io.jpgpool.launcher;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PgpoolKey;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpgpool enc}: pg_enc. Encrypts PASSWORD with the pgpool key (AES-256-CBC, key and IV from OpenSSL's
 * EVP_BytesToKey, as pgpool reads it back: SEMANTICS §E.5) and prints it, or with {@code -m} writes
 * {@code user:AES...} into the pool_passwd of {@code -f pgpool.conf}.
 */
@Command(name = "enc", mixinStandardHelpOptions = true,
        description = "pg_enc for jpgpool: an AES-encrypted password, or with -m a pool_passwd entry.")
final class EncCommand extends PoolPasswdCommand {
    @Option(names = {"-m", "--update-pass"}, description = "create the encrypted password entry in pool_passwd")
    boolean updatePass;

    @Option(names = {"-k", "--key-file"}, paramLabel = "KEY_FILE",
            description = "the encryption key file (default: $PGPOOLKEYFILE, else ~/.pgpoolkey)")
    Path keyFile;

    @Option(names = {"-K", "--enc-key"}, paramLabel = "ENCRYPTION_KEY", description = "the encryption key itself")
    String encKey;

    @Option(names = {"-P", "--prompt-for-key"}, description = "prompt for the encryption key on standard input")
    boolean promptForKey;

    private PgpoolKey key;

    @Override
    String passwordPrompt() {
        return "db password: ";
    }

    @Override
    boolean promptsWithoutArgument() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        // pg_enc reads the password before the key
        if (inputFile == null && (prompt || password == null)) {
            password = readLine(passwordPrompt());
            prompt = false;
            if (password == null) {
                err.println("Couldn't read input from stdin.");
                return 1;
            }
        }
        key = key();
        if (key == null) {
            err.println("encryption key not provided");
            return 1;
        }
        return super.call();
    }

    private PgpoolKey key() throws java.io.IOException, ConfigException {
        if (promptForKey) {
            String k = readLine("encryption key: ");
            return k == null || k.isEmpty() ? null : PgpoolKey.of(k);
        }
        if (encKey != null && !encKey.isEmpty()) {
            return PgpoolKey.of(encKey);
        }
        Path file = keyFile;
        if (file == null) {
            String env = System.getenv(PgpoolKey.KEY_FILE_ENV);
            file = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".pgpoolkey");
        }
        out.println("trying to read key from file " + file);
        if (!Files.exists(file)) {
            return null;
        }
        PgpoolKey k = PgpoolKey.read(file);
        if (k.insecurePermissions()) {
            err.println("WARNING: pool key file \"" + file + "\" has group or world access");
        }
        return k;
    }

    @Override
    boolean handle(String user, String pw) throws ConfigException {
        String encrypted = key.encrypt(pw);
        if (updatePass) {
            return writeEntry(user, "AES" + encrypted);
        }
        out.println();
        out.println(encrypted);
        out.println("pool_passwd string: AES" + encrypted);
        return true;
    }
}
