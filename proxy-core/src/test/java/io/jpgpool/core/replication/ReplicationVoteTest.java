package io.jpgpool.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.core.routing.NodeSet;
import org.junit.jupiter.api.Test;

/** The tie rules of SEMANTICS B.4 (kinds, over configured nodes) and B.5 (affected tuples, over live nodes). */
class ReplicationVoteTest {

    // ------------------------------------------------------------------ B.4: kinds

    @Test
    void twoNodesThatDisagreeBelieveTheMainNode() {
        ReplicationVote.Result r = ReplicationVote.kinds(set(0, 1), kinds("C", "E"), 0, 2);
        assertThat(r.trusted()).isEqualTo("C");
        assertThat(r.minority()).isEqualTo(set(1));
        assertThat(r.byMajority()).isFalse();

        assertThat(ReplicationVote.kinds(set(0, 1), kinds("E", "C"), 0, 2).minority())
                .as("even when the main node failed").isEqualTo(set(1));
    }

    @Test
    void threeNodesTwoAgainstOneDetachTheOne() {
        ReplicationVote.Result r = ReplicationVote.kinds(set(0, 1, 2), kinds("C", "C", "E"), 0, 3);
        assertThat(r.trusted()).isEqualTo("C");
        assertThat(r.minority()).isEqualTo(set(2));
        assertThat(r.byMajority()).isTrue();

        ReplicationVote.Result mainLoses = ReplicationVote.kinds(set(0, 1, 2), kinds("E", "C", "C"), 0, 3);
        assertThat(mainLoses.minority()).as("the majority wins over the main node").isEqualTo(set(0));
    }

    @Test
    void threeConfiguredNodesOneDownTwoDisagreeingBelieveTheMainNode() {
        // node 0 is down: node 1 is main; 1 <= 3 / 2, no majority
        ReplicationVote.Result r = ReplicationVote.kinds(set(1, 2), kinds(null, "E", "C"), 1, 3);
        assertThat(r.trusted()).isEqualTo("E");
        assertThat(r.minority()).isEqualTo(set(2));
        assertThat(r.byMajority()).isFalse();
    }

    @Test
    void fourNodesTwoAgainstTwoBelieveTheMainNode() {
        ReplicationVote.Result r = ReplicationVote.kinds(set(0, 1, 2, 3), kinds("C", "E", "E", "C"), 0, 4);
        assertThat(r.trusted()).isEqualTo("C");
        assertThat(r.minority()).isEqualTo(set(1, 2));
        assertThat(r.byMajority()).isFalse();
    }

    @Test
    void fourNodesThreeAgainstOneDetachTheOne() {
        assertThat(ReplicationVote.kinds(set(0, 1, 2, 3), kinds("C", "E", "C", "C"), 0, 4).minority())
                .isEqualTo(set(1));
    }

    @Test
    void fiveNodesThreeAgainstTwoDetachTheTwoButNotWhenTwoNodesAreDown() {
        ReplicationVote.Result all = ReplicationVote.kinds(set(0, 1, 2, 3, 4), kinds("E", "C", "C", "C", "E"), 0, 5);
        assertThat(all.trusted()).isEqualTo("C");
        assertThat(all.minority()).isEqualTo(set(0, 4));

        // nodes 3 and 4 down: 2 of 5 configured is no majority, the main node's kind wins
        ReplicationVote.Result degraded = ReplicationVote.kinds(set(0, 1, 2), kinds("E", "C", "C"), 0, 5);
        assertThat(degraded.trusted()).isEqualTo("E");
        assertThat(degraded.minority()).isEqualTo(set(1, 2));
    }

    @Test
    void unanimousNodesHaveNoMinority() {
        assertThat(ReplicationVote.kinds(set(0, 1, 2), kinds("C", "C", "C"), 0, 3).unanimous()).isTrue();
    }

    // ------------------------------------------------------------------ B.5: affected tuples

    @Test
    void affectedTuplesVoteOverTheLiveNodesOnly() {
        // 3 configured, node 0 down: 2 live nodes disagree, the main node (1) wins
        ReplicationVote.Result r = ReplicationVote.affectedTuples(set(1, 2), counts(-1, 10, 9), 1);
        assertThat(r.trusted()).isEqualTo(10L);
        assertThat(r.minority()).isEqualTo(set(2));
        assertThat(r.byMajority()).isFalse();
    }

    @Test
    void affectedTuplesTwoAgainstOneDetachTheOneEvenWhenItIsTheMainNode() {
        ReplicationVote.Result r = ReplicationVote.affectedTuples(set(0, 1, 2), counts(5, 4, 4), 0);
        assertThat(r.trusted()).isEqualTo(4L);
        assertThat(r.minority()).isEqualTo(set(0));
    }

    @Test
    void affectedTuplesAllDifferentBelieveTheMainNode() {
        ReplicationVote.Result r = ReplicationVote.affectedTuples(set(0, 1, 2), counts(3, 4, 5), 0);
        assertThat(r.trusted()).isEqualTo(3L);
        assertThat(r.minority()).isEqualTo(set(1, 2));
    }

    @Test
    void affectedTuplesFourNodesTwoAgainstTwoBelieveTheMainNodesGroup() {
        ReplicationVote.Result r = ReplicationVote.affectedTuples(set(0, 1, 2, 3), counts(7, 8, 7, 8), 0);
        assertThat(r.trusted()).isEqualTo(7L);
        assertThat(r.minority()).isEqualTo(set(1, 3));
    }

    @Test
    void affectedTuplesFiveNodes() {
        assertThat(ReplicationVote.affectedTuples(set(0, 1, 2, 3, 4), counts(1, 2, 2, 2, 1), 0).minority())
                .isEqualTo(set(0, 4));
        assertThat(ReplicationVote.affectedTuples(set(0, 1, 2, 3, 4), counts(1, 2, 2, 3, 4), 0).minority())
                .as("2 of 5 is no majority").isEqualTo(set(1, 2, 3, 4));
    }

    private static java.util.function.IntFunction<String> kinds(String... k) {
        return n -> k[n];
    }

    private static java.util.function.IntFunction<Long> counts(long... c) {
        return n -> c[n];
    }

    private static long set(int... nodes) {
        long s = NodeSet.EMPTY;
        for (int n : nodes) {
            s = NodeSet.with(s, n);
        }
        return s;
    }
}
