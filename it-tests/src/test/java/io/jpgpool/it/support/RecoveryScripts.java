package io.jpgpool.it.support;

import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Online recovery set up as an operator sets it up: the sample scripts of {@code conf/} copied into every node's
 * data directory (owned by the server's OS user, executable), the recovery_* lines of pgpool.conf, and the
 * {@code pgpool_recovery} extension of Debian's postgresql-15-pgpool2 in template1 of the primary.
 */
public final class RecoveryScripts {
    public static final String FIRST_STAGE = "recovery_1st_stage";
    public static final String REMOTE_START = "pgpool_remote_start";

    private RecoveryScripts() {
    }

    /** recovery_user/password (the superuser), the 1st stage and a recovery_timeout for slow machines. */
    public static String[] conf(PgCluster cluster, String firstStage) {
        return new String[] {"recovery_user = 'postgres'",
                "recovery_password = '" + cluster.options().superuserPassword() + "'",
                "recovery_1st_stage_command = '" + firstStage + "'", "recovery_timeout = 60"};
    }

    /** conf/recovery_1st_stage and conf/pgpool_remote_start in every node's data directory. */
    public static void install(PgCluster cluster) {
        install(cluster, "basebackup");
    }

    /**
     * The same with recovery_1st_stage's RECOVERY_METHOD set to {@code method}, as an operator edits it (the
     * extension runs the scripts with the server's environment, so a setting cannot come from jpgpool's).
     */
    public static void install(PgCluster cluster, String method) {
        try {
            String first = Files.readString(Path.of(FailoverScripts.script(FIRST_STAGE)));
            String edited = first.replace("${RECOVERY_METHOD:-basebackup}", "${RECOVERY_METHOD:-" + method + "}");
            if (edited.equals(first) != method.equals("basebackup")) {
                throw new IllegalStateException("conf/" + FIRST_STAGE + " has no RECOVERY_METHOD default to edit");
            }
            Path tmp = Files.createTempFile("recovery-", ".sh");
            Files.writeString(tmp, edited);
            for (PgNode n : cluster.nodes()) {
                copy(tmp, n.dataDir().resolve(FIRST_STAGE));
                copy(Path.of(FailoverScripts.script(REMOTE_START)), n.dataDir().resolve(REMOTE_START));
            }
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 1st stage that prints {@code lines} and fails, in every node's data directory. */
    public static void installFailing(PgCluster cluster, String name, String... lines) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        for (String l : lines) {
            sb.append("echo '").append(l.replace("'", "")).append("'\n");
        }
        sb.append("exit 3\n");
        for (PgNode n : cluster.nodes()) {
            try {
                Path tmp = Files.createTempFile("recovery-", ".sh");
                Files.writeString(tmp, sb.toString());
                copy(tmp, n.dataDir().resolve(name));
                Files.delete(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code CREATE EXTENSION pgpool_recovery} in template1, as pgpool's documentation says. */
    public static void createExtension(PgNode primary) throws SQLException {
        try (Connection c = primary.connect("template1"); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pgpool_recovery");
        }
    }

    /** True when Debian's postgresql-15-pgpool2 (the extension) is installed for these binaries. */
    public static boolean extensionInstalled(PgCluster cluster) {
        Path bin = cluster.options().binaries().tool("postgres").getParent();
        return Files.exists(bin.resolveSibling("lib").resolve("pgpool-recovery.so"))
                || Files.exists(Path.of("/usr/lib/postgresql/15/lib/pgpool-recovery.so"));
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            UserPrincipal owner = Files.getOwner(to.getParent());
            Files.setOwner(to, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
