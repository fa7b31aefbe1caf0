package io.jpgpool.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pcp.conf, the PCP users (PCP_SPEC §9.1): {@code username:md5hex(password)} per line, with the
 * real server's quirks: nothing is trimmed (a space or a CRLF's {@code \r} becomes part of the name
 * or hash), only a {@code #} in column 0 starts a comment, empty lines are skipped, and lines
 * without {@code :} are skipped (4.3.5 would misread them). Duplicate users are kept; each is tried.
 */
public final class PcpUsers {

    /**
     * One line of pcp.conf.
     *
     * @param user   text before the first ':'
     * @param md5hex the rest of the line, used exactly as written (pg_md5 writes lower-case hex)
     */
    public record Entry(String user, String md5hex) {
    }

    private final List<Entry> entries;

    private PcpUsers(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads pcp.conf. pgpool re-reads it at every login, so callers may do the same. */
    public static PcpUsers load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not open " + file + ". reason: " + e, e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    public static PcpUsers parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            entries.add(new Entry(line.substring(0, colon), line.substring(colon + 1)));
        }
        return new PcpUsers(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * The server side of PCP's md5 login (PCP_SPEC §3.2): true if some line for {@code user} gives
     * {@code md5hex(md5hex(hash ‖ user) ‖ salt)} equal to {@code clientResponse} (exact, case-sensitive).
     */
    public boolean authenticate(String user, String clientResponse, byte[] salt) {
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        for (Entry e : entries) {
            if (!e.user().equals(user)) {
                continue;
            }
            String h2 = Md5.hex(e.md5hex().getBytes(StandardCharsets.UTF_8), userBytes);
            if (Md5.hex(h2.getBytes(StandardCharsets.US_ASCII), salt).equals(clientResponse)) {
                return true;
            }
        }
        return false;
    }

    /** What a PCP client sends for {@code password} (PCP_SPEC §3.2), for tests and a CLI. */
    public static String clientResponse(String user, String password, byte[] salt) {
        String h1 = Md5.hex(password.getBytes(StandardCharsets.UTF_8));
        String h2 = Md5.hex(h1.getBytes(StandardCharsets.US_ASCII), user.getBytes(StandardCharsets.UTF_8));
        return Md5.hex(h2.getBytes(StandardCharsets.US_ASCII), salt);
    }
}
