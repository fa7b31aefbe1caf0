package io.jpgpool.core.session;

/**
 * A session's readings of {@link System#nanoTime()}, shared so that one reading serves what happens at one
 * moment: a client message's arrival stamps the requests it produces, and a completed statement's answer
 * stamps both the statement's end and, when it makes the session idle, its transaction's. The loop thread
 * alone uses it.
 */
final class SessionClock {
    private long last = System.nanoTime();

    /** Reads the clock now. */
    long read() {
        return last = System.nanoTime();
    }

    /** The latest reading: the arrival of the client message being handled, or the answer that let it go on. */
    long last() {
        return last;
    }
}
