package io.jpgpool.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The pool_passwd file (SEMANTICS §E.5): one {@code user:password} per line. As in pgpool, a
 * backslash escapes {@code :} or {@code \} in the user and password, further {@code :}-fields
 * (pgpool's backend user mapping) are ignored, and the first line for a user wins. Blank lines and
 * lines starting with {@code #} are skipped, and so is a trailing carriage return (pgpool would make
 * it part of the password).
 */
public final class PoolPasswd {

    private final List<PoolPasswdEntry> entries;

    private PoolPasswd(List<PoolPasswdEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads the file; one that cannot be read is an error. */
    public static PoolPasswd load(Path file) throws ConfigException {
        String text;
        try {
            text = ConfigFileReader.decode(Files.readAllBytes(file));
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not read pool_passwd file: " + e, e);
        }
        return parse(file.toString(), text);
    }

    public static PoolPasswd parse(String fileName, String text) throws ConfigException {
        List<PoolPasswdEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int[] pos = {0};
            String user = token(line, pos);
            if (pos[0] < 0 || user.isEmpty()) {
                continue; // no ':' - no password
            }
            String rest = line.substring(pos[0]);
            Secret secret;
            if (rest.startsWith(Secret.ScramSecret.PREFIX)) {
                // the verifier itself contains ':', so it is taken whole rather than up to the next ':'
                Matcher m = Secret.ScramSecret.FORM.matcher(rest);
                try {
                    if (!m.lookingAt() || m.end() < rest.length() && rest.charAt(m.end()) != ':') {
                        throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret");
                    }
                    secret = new Secret.ScramSecret(m.group());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(fileName, i + 1, null,
                            "user \"" + user + "\": " + e.getMessage(), e);
                }
            } else {
                String password = token(line, pos);
                if (password.isEmpty()) {
                    continue; // pgpool skips a line with an empty password
                }
                secret = Secret.of(password);
            }
            entries.add(new PoolPasswdEntry(user, secret, i + 1));
        }
        return new PoolPasswd(entries);
    }

    /**
     * Reads up to the next unescaped ':' from {@code pos[0]}; leaves {@code pos[0]} after the ':'
     * or at -1 if the line ended first.
     */
    private static String token(String line, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0];
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                sb.append(line.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == ':') {
                pos[0] = i + 1;
                return sb.toString();
            }
            sb.append(c);
            i++;
        }
        pos[0] = -1;
        return sb.toString();
    }

    /**
     * Writes {@code user:stored} into a pool_passwd file as pg_md5 -m and pg_enc -m do (pgpool's
     * pool_create_passwdent): the first line for that user is replaced, else the entry is appended; a missing
     * file is created (mode 0600). Unlike pgpool, a {@code :} or {@code \} in the user name is escaped, so the
     * line reads back as written.
     *
     * @param stored the password as pool_passwd keeps it: {@code md5...}, {@code AES...}, {@code SCRAM-SHA-256$...}
     */
    public static void update(Path file, String user, String stored) throws ConfigException {
        if (user.isEmpty() || stored.isEmpty() || (user + stored).indexOf('\n') >= 0) {
            throw new ConfigException(file.toString(), 0, null, "error updating password: empty user or password, "
                    + "or a line break in one");
        }
        String entry = escape(user) + ":" + stored;
        try {
            List<String> lines = new ArrayList<>();
            if (Files.exists(file)) {
                String text = ConfigFileReader.decode(Files.readAllBytes(file));
                lines.addAll(List.of(text.split("\n", -1)));
                if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                    lines.remove(lines.size() - 1); // the newline that ends the file
                }
            }
            boolean replaced = false;
            for (int i = 0; i < lines.size() && !replaced; i++) {
                int[] pos = {0};
                String lineUser = token(lines.get(i), pos);
                if (pos[0] >= 0 && lineUser.equals(user)) {
                    lines.set(i, entry);
                    replaced = true;
                }
            }
            if (!replaced) {
                lines.add(entry);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, String.join("\n", lines) + "\n", java.nio.charset.StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own defaults apply
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not update pool_passwd file: " + e, e);
        }
    }

    private static String escape(String user) {
        return user.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** The first entry for {@code user} (exact, case-sensitive match). */
    public Optional<PoolPasswdEntry> lookup(String user) {
        return entries.stream().filter(e -> e.user().equals(user)).findFirst();
    }

    public List<PoolPasswdEntry> entries() {
        return entries;
    }
}
