package io.jpgpool.pcp;

import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.core.health.HealthCheckStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers for the other test packages of this module. */
public final class PcpTestSupport {
    private PcpTestSupport() {
    }

    /** The recorded cluster of PCP_SPEC 13 behind an admin API (see {@link FakeAdmin}). */
    public static Fake fake() {
        return new Fake(new FakeAdmin());
    }

    /** A file of the shared reference directory, or null when it is not there. */
    public static Path reference(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/reference").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Access to a {@link FakeAdmin} from outside its package. */
    public record Fake(FakeAdmin fake) {
        public AdminApi admin() {
            return fake;
        }

        public void health(HealthCheckStats h) {
            fake.health = h;
        }

        public void session(int id) {
            fake.sessions.add(PcpConnectionTest.session(id));
        }

        public void poolStatus(PoolStatusItems.Row row) {
            fake.poolStatus.add(row);
        }

        public void queryCache(boolean enabled) {
            fake.queryCache = enabled;
        }

        public List<String> calls() {
            return List.copyOf(fake.calls);
        }
    }
}
