package io.jpgpool.pcp;

import java.io.ByteArrayOutputStream;

/** Byte strings written as PCP_SPEC 13 writes them: {@code \0} is a NUL, {@code \xNN} a byte, the rest ASCII. */
final class Trace {
    private Trace() {
    }

    static byte[] bytes(String trace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < trace.length(); i++) {
            char c = trace.charAt(i);
            if (c == '\\' && i + 1 < trace.length()) {
                char n = trace.charAt(i + 1);
                if (n == '0') {
                    out.write(0);
                    i++;
                    continue;
                }
                if (n == 'x') {
                    out.write(Integer.parseInt(trace.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }
}
