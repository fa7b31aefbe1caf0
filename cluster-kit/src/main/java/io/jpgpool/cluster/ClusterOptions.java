package io.jpgpool.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to build a {@link PgCluster}. Build with {@link #builder()}; {@link #defaults()} is one standby,
 * two independent servers, trust auth, the binaries {@link PgBinaries#find()} picks.
 *
 * @param standbys           streaming standbys behind the primary ({@link PgCluster#streaming})
 * @param servers            servers of an independent cluster ({@link PgCluster#independent})
 * @param binaries           the PostgreSQL binaries
 * @param runMode            how the binaries run (see {@link RunMode#detect})
 * @param baseDir            where the cluster lives; {@code null}: a fresh directory under java.io.tmpdir
 * @param auth               pg_hba.conf method for TCP connections; the Unix socket is always trust
 * @param superuserPassword  password of the superuser {@code postgres}
 * @param extraConf          lines appended to every node's postgresql.conf (they override ours)
 * @param extraHba           lines put at the top of every node's pg_hba.conf (first match wins)
 * @param synchronousStandby make the first standby synchronous ({@code synchronous_commit = on})
 * @param databases          databases created after the first start
 * @param users              login roles created after the first start
 * @param standbyMethod      how standbys get their data directory
 * @param ssl                certificate, key and CA files for {@code ssl = on} on every node; null: no TLS
 */
public record ClusterOptions(
        int standbys,
        int servers,
        PgBinaries binaries,
        RunMode runMode,
        Path baseDir,
        Auth auth,
        String superuserPassword,
        List<String> extraConf,
        List<String> extraHba,
        boolean synchronousStandby,
        List<String> databases,
        List<PgUser> users,
        StandbyMethod standbyMethod,
        SslFiles ssl) {

    /** The superuser every node is created with. */
    public static final String SUPERUSER = "postgres";

    public ClusterOptions {
        if (standbys < 0 || servers < 1) {
            throw new IllegalArgumentException("standbys >= 0 and servers >= 1 expected, got " + standbys
                    + " and " + servers);
        }
        Objects.requireNonNull(binaries, "binaries");
        Objects.requireNonNull(runMode, "runMode");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(superuserPassword, "superuserPassword");
        Objects.requireNonNull(standbyMethod, "standbyMethod");
        extraConf = List.copyOf(extraConf);
        extraHba = List.copyOf(extraHba);
        databases = List.copyOf(databases);
        users = List.copyOf(users);
        if (synchronousStandby && standbys == 0) {
            throw new IllegalArgumentException("synchronousStandby needs at least one standby");
        }
    }

    /**
     * What a node serves TLS with: copied into each data directory (owned by the server's OS user, mode 0600, as
     * PostgreSQL insists) before the first start.
     *
     * @param caFile CA for client certificates ({@code ssl_ca_file}); null: none requested
     */
    public record SslFiles(Path certFile, Path keyFile, Path caFile) {
        public SslFiles {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    public static ClusterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.standbys = standbys;
        b.servers = servers;
        b.binaries = binaries;
        b.runMode = runMode;
        b.baseDir = baseDir;
        b.auth = auth;
        b.superuserPassword = superuserPassword;
        b.extraConf.addAll(extraConf);
        b.extraHba.addAll(extraHba);
        b.synchronousStandby = synchronousStandby;
        b.databases.addAll(databases);
        b.users.addAll(users);
        b.standbyMethod = standbyMethod;
        b.ssl = ssl;
        return b;
    }

    /** Mutable builder; {@link #build()} resolves the binaries and run mode that were not given. */
    public static final class Builder {
        private int standbys = 1;
        private int servers = 2;
        private PgBinaries binaries;
        private RunMode runMode;
        private Path baseDir;
        private Auth auth = Auth.TRUST;
        private String superuserPassword = "postgres";
        private final List<String> extraConf = new ArrayList<>();
        private final List<String> extraHba = new ArrayList<>();
        private boolean synchronousStandby;
        private final List<String> databases = new ArrayList<>();
        private final List<PgUser> users = new ArrayList<>();
        private StandbyMethod standbyMethod = StandbyMethod.AUTO;
        private SslFiles ssl;

        private Builder() {
        }

        public Builder standbys(int n) {
            this.standbys = n;
            return this;
        }

        public Builder servers(int n) {
            this.servers = n;
            return this;
        }

        public Builder binaries(PgBinaries b) {
            this.binaries = b;
            return this;
        }

        public Builder runMode(RunMode mode) {
            this.runMode = mode;
            return this;
        }

        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder auth(Auth a) {
            this.auth = a;
            return this;
        }

        public Builder superuserPassword(String password) {
            this.superuserPassword = password;
            return this;
        }

        /** Adds lines (e.g. {@code "log_statement = 'all'"}) to every node's postgresql.conf. */
        public Builder extraConf(String... lines) {
            extraConf.addAll(List.of(lines));
            return this;
        }

        /** Adds pg_hba.conf lines that come before ours. */
        public Builder extraHba(String... lines) {
            extraHba.addAll(List.of(lines));
            return this;
        }

        public Builder synchronousStandby(boolean on) {
            this.synchronousStandby = on;
            return this;
        }

        /** Creates database {@code name} after the first start; may be called more than once. */
        public Builder initDatabase(String name) {
            databases.add(name);
            return this;
        }

        public Builder user(String name, String password) {
            users.add(new PgUser(name, password));
            return this;
        }

        public Builder standbyMethod(StandbyMethod method) {
            this.standbyMethod = method;
            return this;
        }

        /** Starts every node with {@code ssl = on} and these files; see {@link TestCertificates}. */
        public Builder ssl(Path certFile, Path keyFile, Path caFile) {
            this.ssl = new SslFiles(certFile, keyFile, caFile);
            return this;
        }

        /** {@code ssl = on} with the server certificate of a test CA, client certificates checked against it. */
        public Builder ssl(TestCertificates certs) {
            return ssl(certs.serverCert(), certs.serverKey(), certs.caCert());
        }

        public ClusterOptions build() {
            PgBinaries b = binaries != null ? binaries : PgBinaries.find();
            RunMode mode = runMode != null ? runMode : RunMode.detect(b);
            return new ClusterOptions(standbys, servers, b, mode, baseDir, auth, superuserPassword, extraConf,
                    extraHba, synchronousStandby, databases, users, standbyMethod, ssl);
        }
    }
}
