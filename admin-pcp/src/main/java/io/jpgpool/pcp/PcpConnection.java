package io.jpgpool.pcp;

import io.jpgpool.config.PcpUsers;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.pcp.wire.PcpError;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PcpPacket;
import io.jpgpool.pcp.wire.PgpoolSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PCP connection's state, as pgpool's worker keeps it (PCP_SPEC 3.3): a salt armed by {@code M} and used
 * by one {@code R}; nothing but {@code M} and {@code R} before a successful login. Plain Java, no sockets: the
 * channel handler feeds it frames one at a time and sends what it returns.
 */
final class PcpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PcpConnection.class);
    /** pgpool's MAX_USER_PASSWD_LEN: how far it looks for the NUL after the user name. */
    private static final int MAX_USER_PASSWD_LEN = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PcpCommands commands;
    private final Supplier<Path> pcpConf;
    private final String peer;
    private final Supplier<byte[]> salts;
    private byte[] salt;
    private boolean authenticated;
    private String user;

    /** @param pcpConf pcp.conf, read at every login as pgpool does (edits apply at once) */
    PcpConnection(AdminApi admin, Supplier<Path> pcpConf, String peer) {
        this(admin, pcpConf, peer, PcpConnection::randomSalt);
    }

    /** @param salts the 4-byte salts to hand out (tests replay the salt of a recorded trace) */
    PcpConnection(AdminApi admin, Supplier<Path> pcpConf, String peer, Supplier<byte[]> salts) {
        this.commands = new PcpCommands(admin);
        this.pcpConf = pcpConf;
        this.peer = peer;
        this.salts = salts;
    }

    private static byte[] randomSalt() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    boolean authenticated() {
        return authenticated;
    }

    PcpReply handle(PcpFrame f) {
        if (f.length() < 4 || f.length() >= PcpFrameDecoder.MAX_PCP_PACKET_LENGTH) {
            return PcpReply.error(PcpError.fatal("invalid PCP packet", "incorrect packet length (" + f.length() + ")",
                    PgpoolSource.INVALID_PACKET));
        }
        switch (f.tagChar()) {
            case 'M':
                salt = salts.get();
                return PcpReply.of(PcpPacket.of('m').raw(salt));
            case 'R':
                return login(f);
            case 'X':
                return PcpReply.closeQuietly();
            default:
                if (!authenticated) {
                    return PcpReply.error(PcpError.fatal("authentication failed for new PCP connection",
                            "connection not authorized", PgpoolSource.NOT_AUTHORIZED));
                }
                LOG.debug("PCP request '{}' from {} ({})", f.tagChar(), user, peer);
                return commands.handle(f);
        }
    }

    /** {@code R}: user name and {@code md5(md5(md5(password) + user) + salt)}, checked against pcp.conf. */
    private PcpReply login(PcpFrame f) {
        byte[] armed = salt;
        salt = null;
        if (armed == null) {
            return PcpReply.error(PcpError.fatal("authentication failed", "username and/or password does not match",
                    PgpoolSource.AUTH_NO_SALT));
        }
        int nul = f.indexOfNul(0);
        if (nul < 0 || nul >= MAX_USER_PASSWD_LEN) {
            return PcpReply.error(PcpError.fatal("failed to authenticate PCP user",
                    "error while reading authentication packet", PgpoolSource.AUTH_PACKET));
        }
        String name = f.stringAt(0);
        // pcp.conf is compared byte for byte; PcpUsers hashes UTF-8, so read the name as UTF-8 for the check
        String utf8Name = new String(f.slice(0, nul), StandardCharsets.UTF_8);
        String response = f.stringAt(nul + 1);
        Path file = pcpConf.get();
        PcpUsers users;
        try {
            users = PcpUsers.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return PcpReply.error(PcpError.fatal("failed to authenticate PCP user",
                    "could not open " + file + ". reason: " + reason(e), PgpoolSource.AUTH_FILE));
        }
        if (!users.authenticate(utf8Name, response, armed)) {
            LOG.warn("PCP authentication failed for user \"{}\" from {}", name, peer);
            return PcpReply.error(PcpError.fatal("authentication failed for user \"" + name + "\"",
                    "username and/or password does not match", PgpoolSource.AUTH_USER));
        }
        authenticated = true;
        user = name;
        return PcpReply.of(PcpPacket.of('r').cstring("AuthenticationOK"));
    }

    /** The strerror() text pgpool prints for the common cases. */
    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return "Permission denied";
        }
        return String.valueOf(e.getMessage());
    }
}
