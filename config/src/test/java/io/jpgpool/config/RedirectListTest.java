package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectListTest {

    static List<RedirectRule> rules(String value) throws ConfigException {
        return PgpoolConfig.parse("pgpool.conf", "database_redirect_preference_list = '" + value + "'")
                .databaseRedirectPreferenceList();
    }

    static void rejects(String value, String reason) {
        assertThatThrownBy(() -> rules(value)).isInstanceOf(ConfigException.class)
                .hasMessage("pgpool.conf:1: database_redirect_preference_list: invalid value \"" + value + "\": " + reason);
    }

    @Test
    void entriesWithNodeIdsPrimaryStandbyAndWeights() throws Exception {
        List<RedirectRule> r = rules("postgres:primary, mydb[0-4]:1(0.3),test.*:standby(0.5) ,bigdb:STANDBY");
        assertThat(r).hasSize(4);
        assertThat(r.get(0).target()).isEqualTo(RedirectTarget.PRIMARY);
        assertThat(r.get(0).weight()).isEqualTo(1.0);
        assertThat(r.get(0).pattern().pattern()).isEqualTo("^postgres$");
        assertThat(r.get(1).target()).isEqualTo(new RedirectTarget.Node(1));
        assertThat(r.get(1).weight()).isEqualTo(0.3);
        assertThat(r.get(1).matches("MYDB3")).isTrue();
        assertThat(r.get(1).matches("mydb5")).isFalse();
        assertThat(r.get(2).target()).isEqualTo(RedirectTarget.STANDBY);
        assertThat(r.get(2).weight()).isEqualTo(0.5);
        assertThat(r.get(3).target()).isEqualTo(RedirectTarget.STANDBY);
    }

    @Test
    void appNameListToo() throws Exception {
        List<RedirectRule> r = PgpoolConfig.parse("pgpool.conf",
                "app_name_redirect_preference_list = 'psql:primary,myapp:2(0)'").appNameRedirectPreferenceList();
        assertThat(r).extracting(RedirectRule::target).containsExactly(RedirectTarget.PRIMARY, new RedirectTarget.Node(2));
        assertThat(r.get(1).weight()).isZero();
    }

    @Test
    void unsetOrEmptyMeansNoRules() throws Exception {
        assertThat(PgpoolConfig.defaults().databaseRedirectPreferenceList()).isEmpty();
        assertThat(rules("")).isEmpty();
    }

    @Test
    void malformedLists() {
        rejects("postgres", "entry \"postgres\" has no ':' (expected regex:target[(weight)])");
        rejects(":primary", "entry \":primary\" has an empty regular expression");
        rejects("db:replica", "wrong redirect node spec \"replica\" (expected primary, standby or a node id 0..127)");
        rejects("db:128", "wrong redirect node spec \"128\" (expected primary, standby or a node id 0..127)");
        rejects("db:", "wrong redirect node spec \"\" (expected primary, standby or a node id 0..127)");
        rejects("db:1(1.5)", "weight \"1.5\" must be a number between 0 and 1");
        rejects("db:1(x)", "weight \"x\" must be a number between 0 and 1");
        rejects("db:1(0.5", "entry \"db:1(0.5\" is malformed (expected regex:target[(weight)])");
        rejects("db:1(0.5)x", "entry \"db:1(0.5)x\" is malformed (expected regex:target[(weight)])");
        rejects("d(b:1", "invalid regular expression \"d(b\": Unclosed group");
    }
}
