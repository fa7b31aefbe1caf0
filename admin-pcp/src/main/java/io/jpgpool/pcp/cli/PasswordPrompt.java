package io.jpgpool.pcp.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The tools' password prompt (simple_prompt): on the controlling terminal with echo off when there is one,
 * otherwise the prompt on stderr and the answer from stdin; a newline is printed after the answer either way.
 * At most {@code maxLen} bytes are kept, the rest of the line is read and dropped.
 */
interface PasswordPrompt {
    String read(String prompt, int maxLen);

    static PasswordPrompt system(InputStream stdin, PrintStream stderr) {
        return (prompt, maxLen) -> {
            File tty = new File("/dev/tty");
            try (InputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
                stty(tty, "-echo");
                try {
                    out.write(prompt.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return readLine(in, maxLen);
                } finally {
                    stty(tty, "echo");
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException noTerminal) {
                stderr.print(prompt);
                stderr.flush();
                String answer = readLine(stdin, maxLen);
                stderr.print("\n");
                stderr.flush();
                return answer;
            }
        };
    }

    /** A prompt that answers from a fixed stream, printing to {@code err} (tests, and no terminal). */
    static PasswordPrompt of(InputStream in, PrintStream err) {
        return (prompt, maxLen) -> {
            err.print(prompt);
            String answer = readLine(in, maxLen);
            err.print("\n");
            return answer;
        };
    }

    private static void stty(File tty, String setting) {
        try {
            new ProcessBuilder("stty", setting).redirectInput(tty).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no stty: the answer is echoed, nothing worse
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** fgets of maxLen bytes, the rest of a longer line eaten, the newline removed; "" at end of input. */
    static String readLine(InputStream in, int maxLen) {
        StringBuilder sb = new StringBuilder();
        try {
            int c;
            while (sb.length() < maxLen && (c = in.read()) >= 0) {
                if (c == '\n') {
                    return sb.toString();
                }
                sb.append((char) c);
            }
            if (sb.length() >= maxLen) {
                int c2;
                while ((c2 = in.read()) >= 0 && c2 != '\n') {
                    // eat the rest of the line
                }
            }
        } catch (IOException e) {
            return sb.toString();
        }
        return sb.toString();
    }
}
