package io.jpgpool.launcher;

import io.jpgpool.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpgpool md5}: pg_md5. Prints md5(PASSWORD), or with {@code -m} writes {@code user:md5...} (PostgreSQL's
 * md5(password || user)) into the pool_passwd of {@code -f pgpool.conf}.
 */
@Command(name = "md5", mixinStandardHelpOptions = true,
        description = {"pg_md5 for jpgpool: an md5 password, or with -m a pool_passwd entry.",
                "At most 128 characters are allowed for input. A password argument is kept for compatibility;"
                        + " prefer -p or -i."})
final class Md5Command extends PoolPasswdCommand {
    @Option(names = {"-m", "--md5auth"}, description = "create the pool_passwd entry (md5 authentication password)")
    boolean md5auth;

    @Override
    String passwordPrompt() {
        return "password: ";
    }

    @Override
    boolean handle(String user, String pw) throws io.jpgpool.config.ConfigException {
        if (md5auth) {
            return writeEntry(user, Secret.Md5Hash.of(user, pw).stored());
        }
        out.println(md5(pw));
        return true;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
