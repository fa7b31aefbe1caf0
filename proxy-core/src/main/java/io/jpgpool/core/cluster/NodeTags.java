package io.jpgpool.core.cluster;

import io.micrometer.core.instrument.Tags;

/** The labels that name a node in every per-node meter: {@code node_id}, {@code hostname}, {@code port}. */
public final class NodeTags {
    private NodeTags() {
    }

    public static Tags of(BackendNode n) {
        return Tags.of("node_id", String.valueOf(n.id()), "hostname", n.host(), "port", String.valueOf(n.port()));
    }
}
