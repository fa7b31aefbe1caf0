package io.jpgpool.core.runtime;

import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;

/** Statements jpgpool answers itself on the SQL port ({@code SHOW pool_*}), provided by the admin layer. */
public interface LocalCommands {
    boolean handles(Statement st);

    /** RowDescription, DataRows and CommandComplete, or an ErrorResponse (ReadyForQuery is the caller's). */
    ByteBuf run(Statement st, SessionHandle session);

    /** The same answer, for commands that must not run on the session's event loop (they ask the nodes). */
    default java.util.concurrent.CompletableFuture<ByteBuf> runLater(Statement st, SessionHandle session) {
        return java.util.concurrent.CompletableFuture.completedFuture(run(st, session));
    }

    LocalCommands NONE = new LocalCommands() {
        @Override
        public boolean handles(Statement st) {
            return false;
        }

        @Override
        public ByteBuf run(Statement st, SessionHandle session) {
            throw new IllegalStateException("no local commands");
        }
    };
}
