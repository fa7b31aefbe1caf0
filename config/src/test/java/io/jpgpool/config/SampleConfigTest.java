package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** conf/pgpool.conf.sample follows the code: it loads without warnings and documents every supported parameter. */
class SampleConfigTest {
    private static final Path SAMPLE = Path.of("..", "conf", "pgpool.conf.sample");

    @Test
    void theSampleLoadsWithoutWarnings() throws Exception {
        PgpoolConfig c = PgpoolConfig.load(SAMPLE);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void everySupportedParameterIsDocumentedInTheSample() throws Exception {
        String text = Files.readString(SAMPLE);
        for (Param<?> p : Params.all()) {
            if (!p.supported()) {
                continue;
            }
            String name = p.perNode() && p.scope() == Param.Scope.PER_NODE ? p.name() + "0" : p.name();
            assertThat(Pattern.compile("(?m)^#?" + Pattern.quote(name) + " = ").matcher(text).find())
                    .as("%s is documented in conf/pgpool.conf.sample", name).isTrue();
        }
    }
}
