package io.jpgpool.pcp.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The client's password file (PCP_SPEC 9.2): {@code $PCPPASSFILE}, else {@code ~/.pcppass}; ignored unless it
 * is a regular file without group or other permissions. Lines are {@code host:port:user:password}; the first
 * three may be {@code *}; {@code \} escapes; the first matching line wins. Like libpcp, lines are read in
 * chunks of at most 319 bytes.
 */
public final class PcpPassFile {
    /** libpcp reads lines with fgets into a NAMEDATALEN * 5 buffer. */
    private static final int LINE_BUFFER = 320;
    /** libpcp's UNIX_DOMAIN_PATH: the socket directory that counts as "localhost". */
    static final String DEFAULT_SOCKET_DIR = "/tmp";

    private final Path file;

    public PcpPassFile(Path file) {
        this.file = file;
    }

    /** {@code PCPPASSFILE} if set, else {@code .pcppass} in the home directory. */
    public static PcpPassFile locate(String pcppassfileEnv, String home) {
        return new PcpPassFile(pcppassfileEnv != null ? Path.of(pcppassfileEnv) : Path.of(home, ".pcppass"));
    }

    public Path file() {
        return file;
    }

    /**
     * The password for this connection, or null.
     *
     * @param host the host as the client used it: a host name, or a socket directory ({@code /tmp} counts as
     *     {@code localhost})
     * @param debug where libpcp's warnings go with {@code -d}, or null
     */
    public String lookup(String host, String port, String user, PrintStream debug) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        String h = host == null || host.equals(DEFAULT_SOCKET_DIR) ? "localhost" : host;
        if (!Files.exists(file)) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            if (debug != null) {
                debug.println("WARNING: password file \"" + file + "\" is not a plain file");
            }
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, new LinkOption[0]);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    if (debug != null) {
                        debug.println("WARNING: password file \"" + file + "\" has group or world access; "
                                + "permissions should be u=rw (0600) or less");
                    }
                    return null;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < text.length()) {
            int nl = text.indexOf('\n', i);
            int end = Math.min(nl < 0 ? text.length() : nl + 1, i + LINE_BUFFER - 1);
            String line = text.substring(i, end);
            i = end;
            if (line.endsWith("\n")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            int rest = matches(line, 0, h);
            rest = rest < 0 ? -1 : matches(line, rest, port);
            rest = rest < 0 ? -1 : matches(line, rest, user);
            if (rest < 0) {
                continue;
            }
            return unescape(line.substring(rest));
        }
        return null;
    }

    /** pwdfMatchesString: where the next field starts if this one is {@code *} or equals the token, else -1. */
    static int matches(String buf, int from, String token) {
        if (buf.startsWith("*:", from)) {
            return from + 2;
        }
        int b = from;
        int t = 0;
        boolean backslash = false;
        while (b < buf.length()) {
            if (buf.charAt(b) == '\\' && !backslash) {
                b++;
                backslash = true;
                if (b >= buf.length()) {
                    return -1;
                }
            }
            if (buf.charAt(b) == ':' && t == token.length() && !backslash) {
                return b + 1;
            }
            backslash = false;
            if (t == token.length()) {
                return -1;
            }
            if (buf.charAt(b) == token.charAt(t)) {
                b++;
                t++;
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** The password: up to the first {@code :} (escapes removed). */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && s.charAt(i) != ':'; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                i++;
                c = s.charAt(i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
