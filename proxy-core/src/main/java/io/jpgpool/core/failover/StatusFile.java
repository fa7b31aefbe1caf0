package io.jpgpool.core.failover;

import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <logdir>/pgpool_status}: one line per node, {@code up}, {@code down} or {@code unused}, so that a node
 * that was down stays down after a restart (SEMANTICS C.1). Not written when every node would be down: the
 * file keeps the last set of nodes that had the latest data.
 */
public final class StatusFile {
    private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);

    private final Path path;

    public StatusFile(Path logdir) {
        this.path = logdir.resolve("pgpool_status");
    }

    public Path path() {
        return path;
    }

    /** The statuses read, or empty when there is no usable file. */
    public Optional<List<NodeStatus>> read() {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            List<NodeStatus> statuses = new ArrayList<>();
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                String s = line.trim().toLowerCase(Locale.ROOT);
                if (s.isEmpty()) {
                    continue;
                }
                statuses.add(switch (s) {
                    case "down" -> NodeStatus.DOWN;
                    case "unused" -> NodeStatus.UNUSED;
                    default -> NodeStatus.CONNECT_WAIT; // "up" and "waiting" both start as waiting
                });
            }
            if (statuses.stream().noneMatch(NodeStatus::isAlive)) {
                LOG.warn("{} says no node is up; ignoring it", path);
                return Optional.empty();
            }
            return Optional.of(statuses);
        } catch (IOException e) {
            LOG.warn("could not read {}: {}", path, e.getMessage());
            return Optional.empty();
        }
    }

    public void write(ClusterSnapshot cluster) {
        StringBuilder sb = new StringBuilder();
        boolean anyUp = false;
        for (BackendNode n : cluster.nodes()) {
            String s = switch (n.status()) {
                case DOWN -> "down";
                case UNUSED -> "unused";
                default -> "up";
            };
            anyUp |= n.isAlive();
            sb.append(s).append('\n');
        }
        if (!anyUp) {
            return;
        }
        try {
            Files.createDirectories(path.getParent());
            Path tmp = path.resolveSibling("pgpool_status.tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", path, e.getMessage());
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", path, e.getMessage());
        }
    }
}
