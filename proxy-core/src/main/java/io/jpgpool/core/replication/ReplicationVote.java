package io.jpgpool.core.replication;

import io.jpgpool.core.routing.NodeSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Native replication mode's majority votes, when the nodes that ran one statement answered differently
 * (SEMANTICS B.4, B.5). Plain functions: the nodes that voted, what each said, which one is the main node;
 * out comes who is believed and who is the minority to detach.
 */
public final class ReplicationVote {
    private ReplicationVote() {
    }

    /**
     * The outcome of a vote.
     *
     * @param trusted what the believed nodes said
     * @param minority the nodes that said something else (to detach, where the mode says so)
     * @param byMajority false when no answer had a strict majority and the main node was believed
     */
    public record Result(Object trusted, long minority, boolean byMajority) {
        public boolean unanimous() {
            return minority == NodeSet.EMPTY;
        }
    }

    /**
     * B.4, message kinds: the largest group of equal kinds wins when it is more than half of all configured
     * nodes ({@code configured}, down ones included), else the main node's kind wins.
     */
    public static Result kinds(long voters, IntFunction<?> kindOf, int main, int configured) {
        return vote(voters, kindOf, main, configured);
    }

    /**
     * B.5, affected tuples of INSERT/UPDATE/DELETE: the same rule over the live nodes that ran the statement
     * ({@code voters}); every count different, or no count held by more than half of them: the main node's.
     */
    public static Result affectedTuples(long voters, IntFunction<Long> countOf, int main) {
        return vote(voters, countOf, main, NodeSet.size(voters));
    }

    private static Result vote(long voters, IntFunction<?> answerOf, int main, int electorate) {
        Map<Object, Long> groups = new LinkedHashMap<>(); // in node order: the first group has the lowest id
        for (int n = NodeSet.next(voters, 0); n >= 0; n = NodeSet.next(voters, n + 1)) {
            groups.merge(answerOf.apply(n), NodeSet.of(n), (a, b) -> a | b);
        }
        Object largest = null;
        int largestSize = 0;
        for (Map.Entry<Object, Long> g : groups.entrySet()) {
            int size = NodeSet.size(g.getValue());
            if (size > largestSize) {
                largest = g.getKey();
                largestSize = size;
            }
        }
        boolean majority = largestSize * 2 > electorate;
        Object trusted = majority ? largest : answerOf.apply(main);
        long believed = groups.getOrDefault(trusted, NodeSet.EMPTY);
        return new Result(trusted, voters & ~believed, majority);
    }

    /** The vote's answer for a node, for log lines and DETAIL texts: {@code 1[E: relation "t" does not exist]}. */
    public static String describe(int node, Object answer) {
        return node + "[" + Objects.toString(answer) + "]";
    }
}
