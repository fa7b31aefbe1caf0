package io.jpgpool.core.session;

import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The extended-protocol objects of a session: named (and the unnamed) prepared statements and portals, with
 * the nodes each lives on. Routing is decided at Parse; Bind, Describe, Execute and Close follow the statement
 * (SEMANTICS A.13).
 */
final class PreparedStatements {
    /** A statement prepared with Parse. */
    static final class Prepared {
        final String name;
        final String query;
        final Statement statement;
        final RouteDecision decision;
        /** The client's Parse message, kept to prepare the statement again on the primary (parse-before-bind). */
        final byte[] parseMessage;
        /** Where the statement exists on the servers. */
        long parsedOn;
        /** Where its Binds go now (moves to the primary after parse-before-bind, and stays there). */
        long nodes;
        /**
         * Native replication: the Parse the other nodes got, with the clock as one more parameter that each Bind
         * carries; null when the statement does not read the clock.
         */
        byte[] othersParse;

        Prepared(String name, String query, Statement statement, RouteDecision decision, byte[] parseMessage,
                long nodes) {
            this.name = name;
            this.query = query;
            this.statement = statement;
            this.decision = decision;
            this.parseMessage = parseMessage;
            this.parsedOn = nodes;
            this.nodes = nodes;
        }
    }

    /**
     * A portal made by Bind, with the route its Execute acts on: the statement's, except for BEGIN, COMMIT and
     * ROLLBACK, which are routed again at each Bind (where a transaction's sides are changes between uses).
     * {@code heldBind} is the Bind of a portal whose Execute the query cache answers: it went to no node (nodes is
     * empty), and goes out only if the portal is needed there after all.
     */
    record Portal(String name, Prepared statement, long nodes, RouteDecision decision, byte[] heldBind) {
        Portal(String name, Prepared statement, long nodes, RouteDecision decision) {
            this(name, statement, nodes, decision, null);
        }

        boolean held() {
            return heldBind != null;
        }
    }

    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();

    Prepared statement(String name) {
        return statements.get(name);
    }

    void putStatement(Prepared p) {
        statements.put(p.name, p);
    }

    Prepared removeStatement(String name) {
        return statements.remove(name);
    }

    Portal portal(String name) {
        return portals.get(name);
    }

    void putPortal(Portal p) {
        portals.put(p.name(), p);
    }

    Portal removePortal(String name) {
        return portals.remove(name);
    }

    /** Portals end with their transaction. */
    void closePortals() {
        portals.clear();
    }

    /** A Sync ended the implicit transaction the held portals were bound in (they are bound only at idle). */
    void dropHeldPortals() {
        portals.values().removeIf(Portal::held);
    }

    /** DISCARD ALL / DEALLOCATE ALL. */
    void clear() {
        statements.clear();
        portals.clear();
    }

    int size() {
        return statements.size();
    }
}
