package io.jpgpool.pcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** glibc getopt_long as the pcp tools use it: permutation, clusters, abbreviations and its messages. */
class GetoptLongTest {
    private static final List<GetoptLong.LongOption> LONG = List.of(
            new GetoptLong.LongOption("port", true, 'p'), new GetoptLong.LongOption("process-id", true, 'P'),
            new GetoptLong.LongOption("no-password", false, 'w'), new GetoptLong.LongOption("password", false, 'W'),
            new GetoptLong.LongOption("verbose", false, 'v'), new GetoptLong.LongOption("node-id", true, 'n'));

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Each option as "c=arg" (or "c"), then "operands=[...]". */
    private List<String> parse(boolean posix, String... args) {
        GetoptLong g = new GetoptLong("tool", args, "n:p:wWv", LONG, posix,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        int c;
        while ((c = g.next()) != -1) {
            out.add((char) c + (g.optarg() == null ? "" : "=" + g.optarg()));
            if (c == '?') {
                return out;
            }
        }
        out.add("operands=" + g.operands());
        return out;
    }

    @Test
    void operandsMayComeBetweenOptions() {
        assertThat(parse(false, "1", "-w", "extra", "-p", "9898")).containsExactly("w", "p=9898",
                "operands=[1, extra]");
        assertThat(parse(true, "1", "-w")).containsExactly("operands=[1, -w]");
    }

    @Test
    void clustersAttachedArgumentsAndDashDash() {
        assertThat(parse(false, "-wvn3", "-p", "-1", "--", "-v")).containsExactly("w", "v", "n=3", "p=-1",
                "operands=[-v]");
        assertThat(parse(false, "-", "-v")).containsExactly("v", "operands=[-]");
    }

    @Test
    void longOptionsAndUniquePrefixes() {
        assertThat(parse(false, "--node-id=2", "--verb", "--port", "9999", "--pa")).containsExactly("n=2", "v",
                "p=9999", "W", "operands=[]");
    }

    @Test
    void glibcMessages() {
        assertThat(parse(false, "-x")).containsExactly("?");
        assertThat(parse(false, "-n")).containsExactly("?");
        assertThat(parse(false, "--p")).containsExactly("?");
        assertThat(parse(false, "--verbose=1")).containsExactly("?");
        assertThat(parse(false, "--bogus=1")).containsExactly("?");
        assertThat(parse(false, "--node-id")).containsExactly("?");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                tool: invalid option -- 'x'
                tool: option requires an argument -- 'n'
                tool: option '--p' is ambiguous; possibilities: '--port' '--process-id' '--password'
                tool: option '--verbose' doesn't allow an argument
                tool: unrecognized option '--bogus=1'
                tool: option '--node-id' requires an argument
                """);
    }
}
