package io.jpgpool.pcp.wire;

/**
 * The {@code E} (error) and {@code N} (notice) packets of PCP (PCP_SPEC 4): PostgreSQL's ErrorResponse layout,
 * fields in pgpool's order S, C, M, [D], F, L, each cut to 255 bytes.
 *
 * <p>The real clients misread a message or detail that starts with an upper-case {@code M}, {@code S} or
 * {@code D} as a field code (PCP_SPEC 4.3); such a first letter is sent in lower case so the text stays
 * readable.
 *
 * @param severity {@code ERROR}, {@code FATAL}, {@code WARNING}...
 * @param detail null for none
 * @param file pgpool's source file that raises the same error (clients ignore it)
 * @param line its line in 4.3.5
 */
public record PcpError(String severity, String message, String detail, String file, int line) {
    private static final int MAX_PART = 255;

    public static PcpError error(String message, String detail, PgpoolSource where) {
        return new PcpError("ERROR", message, detail, where.file(), where.line());
    }

    public static PcpError fatal(String message, String detail, PgpoolSource where) {
        return new PcpError("FATAL", message, detail, where.file(), where.line());
    }

    public boolean isFatal() {
        return severity.equals("FATAL") || severity.equals("PANIC");
    }

    public PcpPacket toPacket() {
        boolean notice = !(severity.equals("ERROR") || isFatal());
        PcpPacket p = PcpPacket.of(notice ? 'N' : 'E')
                .rawByte('S').cstring(cut(severity))
                .rawByte('C').cstring("XX000")
                .rawByte('M').cstring(cut(readable(message)));
        if (detail != null) {
            p.rawByte('D').cstring(cut(readable(detail)));
        }
        return p.rawByte('F').cstring(cut(file))
                .rawByte('L').cstring(String.valueOf(line))
                .rawByte(0);
    }

    /** A first letter the client would take for a field code, lowered. */
    static String readable(String text) {
        if (!text.isEmpty() && (text.charAt(0) == 'M' || text.charAt(0) == 'S' || text.charAt(0) == 'D')) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }

    private static String cut(String s) {
        return s.length() > MAX_PART ? s.substring(0, MAX_PART) : s;
    }
}
