package io.jpgpool.core.session;

import io.jpgpool.protocol.backend.ErrorResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node answered to one request: its first error, the tags of its CommandCompletes, whether it answered
 * an empty query. Recorded only where answers are compared (a statement run on several nodes).
 */
final class NodeOutcome {
    ErrorResponse error;
    final List<String> tags = new ArrayList<>(1);
    boolean emptyQuery;

    /** The message kind pgpool compares across nodes: E (an error), I (an empty query) or C. */
    char kind() {
        return error != null ? 'E' : emptyQuery && tags.isEmpty() ? 'I' : 'C';
    }

    /** pgpool's DETAIL form of the kind: {@code E: relation "t" does not exist}, or just the letter. */
    String describe() {
        return error != null ? "E: " + error.message() : String.valueOf(kind());
    }

    @Override
    public String toString() {
        return error != null ? "E " + error.sqlState() + " " + error.message() : tags.toString();
    }
}
