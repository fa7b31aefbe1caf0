package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PatternListsTest {

    static PgpoolConfig parse(String text) throws ConfigException {
        return PgpoolConfig.parse("pgpool.conf", text);
    }

    static boolean anyMatches(List<Pattern> patterns, String s) {
        return patterns.stream().anyMatch(p -> p.matcher(s).matches());
    }

    @Test
    void functionListsAreAnchoredCaseInsensitiveRegexes() throws Exception {
        List<Pattern> write = parse("write_function_list = 'nextval, setval,,lo_.*, ^public\\.my_f$ ,'")
                .writeFunctionList();
        assertThat(write).extracting(Pattern::pattern)
                .containsExactly("^nextval$", "^setval$", "^lo_.*$", "^public\\.my_f$");
        assertThat(anyMatches(write, "NEXTVAL")).isTrue();
        assertThat(anyMatches(write, "nextval2")).isFalse();
        assertThat(anyMatches(write, "xnextval")).isFalse();
        assertThat(anyMatches(write, "lo_import")).isTrue();
        assertThat(anyMatches(write, "public.my_f")).isTrue();
        assertThat(anyMatches(write, "my_f")).isFalse();
    }

    @Test
    void partlyAnchoredPatternsGetTheMissingAnchor() throws Exception {
        List<Pattern> ro = parse("read_only_function_list = '^now,current_.*$'").readOnlyFunctionList();
        assertThat(ro).extracting(Pattern::pattern).containsExactly("^now$", "^current_.*$");
    }

    @Test
    void posixCharacterClasses() throws Exception {
        List<Pattern> p = parse("write_function_list = 'f[[:digit:]]+,g[^[:space:]]'").writeFunctionList();
        assertThat(anyMatches(p, "f12")).isTrue();
        assertThat(anyMatches(p, "fx")).isFalse();
        assertThat(anyMatches(p, "gx")).isTrue();
        assertThat(anyMatches(p, "g ")).isFalse();
    }

    @Test
    void primaryRoutingPatternsSplitOnUnescapedSemicolons() throws Exception {
        List<Pattern> p = parse("primary_routing_query_pattern_list = "
                + "'.*DO NOT LOAD BALANCE.*;.*FOR UPDATE.*; ;SELECT 1\\;.*'").primaryRoutingQueryPatternList();
        assertThat(p).extracting(Pattern::pattern)
                .containsExactly("^.*DO NOT LOAD BALANCE.*$", "^.*FOR UPDATE.*$", "^SELECT 1\\;.*$");
        assertThat(anyMatches(p, "select * from t for update")).isTrue();
        assertThat(anyMatches(p, "SELECT 1;SELECT 2")).isTrue();
    }

    @Test
    void invalidRegexIsAnError() {
        assertThatThrownBy(() -> parse("\nwrite_function_list = 'ok,bad(,x'"))
                .hasMessageStartingWith("pgpool.conf:2: write_function_list: invalid value \"ok,bad(,x\": "
                        + "invalid regular expression \"bad(\": ");
    }

    @Test
    void emptyByDefault() {
        PgpoolConfig c = PgpoolConfig.defaults();
        assertThat(c.writeFunctionList()).isEmpty();
        assertThat(c.readOnlyFunctionList()).isEmpty();
        assertThat(c.primaryRoutingQueryPatternList()).isEmpty();
    }
}
