package io.jpgpool.core.recovery;

import io.jpgpool.core.failover.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage commands without the {@code pgpool_recovery} extension: jpgpool runs the same scripts of the source's
 * data directory ({@code backend_data_directoryN}) on its own host, with the arguments the extension would give
 * them, as the OS user that owns that directory. A failure's DETAIL carries the script's last lines of output.
 */
final class LocalStageRunner implements StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStageRunner.class);
    /** The fixed name pgpool_remote_start() runs (pgpool-recovery.c REMOTE_START_FILE). */
    static final String REMOTE_START = "pgpool_remote_start";
    /** Script output lines a failure's DETAIL repeats. */
    static final int TAIL_LINES = 10;

    private final SourceConnection source;
    private final Path dataDirectory;
    /** The command prefix that switches to the directory's owner; null when the directory is not on this host. */
    private final List<String> runAs;
    private final String describe;

    private LocalStageRunner(SourceConnection source, Path dataDirectory, List<String> runAs, String describe) {
        this.source = source;
        this.dataDirectory = dataDirectory;
        this.runAs = runAs;
        this.describe = describe;
    }

    /**
     * Runs as the data directory's owner: directly when jpgpool is that user, through {@code runuser} when jpgpool
     * is root; as jpgpool's own user otherwise (with a warning). A source directory that is not on this host runs
     * nothing: each stage then fails, saying so.
     */
    static LocalStageRunner open(SourceConnection source, String dataDirectory) {
        Path dir = Path.of(dataDirectory);
        String why = "the pgpool_recovery extension is not installed in template1 of node " + source.sourceNode();
        String me = System.getProperty("user.name");
        String owner;
        try {
            owner = Files.getOwner(dir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("{} and its data directory \"{}\" is not on the jpgpool host: the stage commands cannot run",
                    why, dataDirectory);
            return new LocalStageRunner(source, dir, null, "nowhere: " + why + " and \"" + dataDirectory
                    + "\" is not on the jpgpool host");
        }
        List<String> runAs = new ArrayList<>();
        if (!owner.equals(me)) {
            if (isRoot()) {
                runAs.addAll(List.of(runuser(), "-u", owner, "--"));
            } else {
                LOG.warn("the recovery scripts in {} belong to OS user {}, jpgpool runs as {}: they run as {}", dir,
                        owner, me, me);
                owner = me;
            }
        }
        return new LocalStageRunner(source, dir, runAs, "on the jpgpool host from " + dir + " as OS user " + owner
                + " (" + why + ")");
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void checkpoint() throws RecoveryException {
        source.checkpoint();
    }

    @Override
    public void runStage(RecoveryStage stage, RecoveryPlan plan) throws RecoveryException {
        String script = plan.command(stage);
        String failed = stage.failedMessage();
        CommandRunner.Result r = runScript(script, plan.stageArguments(), failed, "command:\"" + script + "\"");
        if (r.exitCode() != 0) {
            throw new RecoveryException(failed, "command:\"" + script + "\" " + outcome(r));
        }
    }

    @Override
    public void remoteStart(RecoveryPlan plan) throws RecoveryException {
        String failed = "executing remote start failed with error: \"" + REMOTE_START + " failed\"";
        CommandRunner.Result r = runScript(REMOTE_START, plan.remoteStartArguments(), failed, REMOTE_START);
        if (r.exitCode() != 0) {
            throw new RecoveryException(failed, REMOTE_START + " " + outcome(r));
        }
    }

    private CommandRunner.Result runScript(String script, List<String> args, String failed, String what)
            throws RecoveryException {
        Path path = dataDirectory.resolve(script);
        if (runAs == null) {
            throw new RecoveryException(failed, what + ": " + describe);
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new RecoveryException(failed, what + ": \"" + path + "\" is not an executable file on the jpgpool"
                    + " host, and the pgpool_recovery extension is not installed in template1 of node "
                    + source.sourceNode());
        }
        List<String> argv = new ArrayList<>(runAs);
        argv.add(path.toString());
        argv.addAll(args);
        LOG.info("executing recovery: starting recovery command on the jpgpool host: {}", String.join(" ", argv));
        // no time limit, as pgpool's statement_timeout 0: a base backup of a large node takes what it takes
        return new CommandRunner(Duration.ZERO).run(script, argv, dataDirectory, TAIL_LINES);
    }

    private static String outcome(CommandRunner.Result r) {
        String status = r.exitCode() < 0 ? "did not run to its end" : "exited with status " + r.exitCode();
        return r.lastLines().isEmpty() ? status + " and printed nothing"
                : status + "; its last lines:\n" + String.join("\n", r.lastLines());
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the effective uid of the process looking at it
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String runuser() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, "runuser");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "runuser";
    }

    @Override
    public void close() {
        source.close();
    }
}
