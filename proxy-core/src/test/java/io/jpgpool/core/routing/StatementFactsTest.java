package io.jpgpool.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.QualifiedName;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given the shared catalog cache behind a statement's facts, the facts of one statement are... */
class StatementFactsTest {
    private final Map<QualifiedName, Boolean> known = new HashMap<>();
    private int lookups;
    private final StatementFacts facts = new StatementFacts(new CatalogFacts() {
        @Override
        public Boolean isVolatileFunction(QualifiedName function) {
            lookups++;
            return known.get(function);
        }

        @Override
        public Boolean isUnloggedTable(QualifiedName relation) {
            lookups++;
            return known.get(relation);
        }
    });
    private final QualifiedName accounts = new QualifiedName(null, "pgbench_accounts");
    private final QualifiedName random = new QualifiedName(null, "random");

    @Test
    void askedOfTheCacheOncePerRelationAndFunctionWhileOneStatementIsRouted() {
        known.put(accounts, false);
        known.put(random, true);
        for (int i = 0; i < 3; i++) {
            assertThat(facts.isUnloggedTable(accounts)).isFalse();
            assertThat(facts.isVolatileFunction(random)).isTrue();
        }
        assertThat(lookups).isEqualTo(2);
    }

    @Test
    void askedAgainForTheNextStatementSoTheCachesExpiryAndInvalidationHold() {
        known.put(accounts, false);
        assertThat(facts.isUnloggedTable(accounts)).isFalse();
        known.put(accounts, true); // ALTER TABLE ... SET UNLOGGED, learnt by the cache meanwhile
        facts.forget();
        assertThat(facts.isUnloggedTable(accounts)).isTrue();
        assertThat(lookups).isEqualTo(2);
    }

    @Test
    void neverKeepingAnUnknownFactWhichIsBeingLookedUp() {
        assertThat(facts.isUnloggedTable(accounts)).isNull();
        known.put(accounts, false); // the look-up answered
        assertThat(facts.isUnloggedTable(accounts)).isFalse();
        assertThat(lookups).isEqualTo(2);
    }

    @Test
    void keepingTheLastOfSeveralRelationsAndAskingForTheOthers() {
        QualifiedName tellers = new QualifiedName(null, "pgbench_tellers");
        known.put(accounts, false);
        known.put(tellers, true);
        assertThat(facts.isUnloggedTable(accounts)).isFalse();
        assertThat(facts.isUnloggedTable(tellers)).isTrue();
        assertThat(facts.isUnloggedTable(accounts)).isFalse();
        assertThat(lookups).isEqualTo(3);
    }
}
