package io.jpgpool.core.session;

import io.jpgpool.core.logging.ClientMessageLog;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Describe;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.Query;
import io.netty.buffer.ByteBuf;

/**
 * {@code log_client_messages} for one session: each message its client sends, as it arrives, in pgpool's words
 * ({@link ClientMessageLog}). Counts the CopyData of the COPY under way, as pgpool's {@code copy_count}.
 */
final class ClientMessages {
    private int copyData;

    /** Logs the message in the frame (left as it is). */
    void log(ByteBuf f) {
        byte tag = f.getByte(f.readerIndex());
        switch (tag) {
            case FrontendTag.QUERY -> ClientMessageLog.query(Query.decode(f).sql());
            case FrontendTag.PARSE -> {
                Parse p = Parse.decode(f);
                ClientMessageLog.parse(p.name(), p.query());
            }
            case FrontendTag.BIND -> {
                Bind b = Bind.decode(f);
                ClientMessageLog.bind(b.portal(), b.statement());
            }
            case FrontendTag.DESCRIBE -> {
                Describe d = Describe.decode(f);
                ClientMessageLog.describe((char) d.kind(), d.name());
            }
            case FrontendTag.EXECUTE -> ClientMessageLog.execute(Execute.decode(f).portal());
            case FrontendTag.CLOSE -> {
                Close c = Close.decode(f);
                ClientMessageLog.close((char) c.kind(), c.name());
            }
            case FrontendTag.SYNC -> ClientMessageLog.sync();
            case FrontendTag.FLUSH -> ClientMessageLog.flush();
            case FrontendTag.TERMINATE -> ClientMessageLog.terminate();
            case FrontendTag.FUNCTION_CALL -> ClientMessageLog.functionCall(f.getInt(f.readerIndex() + 5));
            case FrontendTag.COPY_DATA -> ClientMessageLog.copyData(++copyData);
            case FrontendTag.COPY_DONE -> {
                copyData = 0;
                ClientMessageLog.copyDone();
            }
            case FrontendTag.COPY_FAIL -> {
                copyData = 0;
                ClientMessageLog.copyFail();
            }
            default -> {
            }
        }
    }
}
