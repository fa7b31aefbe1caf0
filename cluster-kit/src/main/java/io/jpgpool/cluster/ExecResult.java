package io.jpgpool.cluster;

import java.time.Duration;
import java.util.List;

/** What one external command did: exit code (or time-out), combined stdout+stderr, how long it took. */
record ExecResult(List<String> command, int exitCode, boolean timedOut, String output, Duration elapsed) {

    boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** One line for an exception message: the command and how it ended. */
    String summary() {
        String cmd = String.join(" ", command);
        return timedOut
                ? "`" + cmd + "` timed out after " + elapsed.toSeconds() + "s"
                : "`" + cmd + "` exited with " + exitCode + " after " + elapsed.toMillis() + "ms";
    }

    /** Summary plus the command's output, for when it failed. */
    String describe() {
        String out = output.isBlank() ? "(no output)" : output.strip();
        return summary() + "\n--- output ---\n" + out;
    }
}
