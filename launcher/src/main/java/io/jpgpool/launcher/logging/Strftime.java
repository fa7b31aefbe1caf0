package io.jpgpool.launcher.logging;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The strftime escapes pgpool's {@code log_filename} may use (as PostgreSQL's), expanded for one moment. */
final class Strftime {
    private Strftime() {
    }

    static String format(String pattern, ZonedDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            char e = pattern.charAt(++i);
            switch (e) {
                case 'Y' -> out.append(String.format(Locale.ROOT, "%04d", t.getYear()));
                case 'y' -> out.append(String.format(Locale.ROOT, "%02d", t.getYear() % 100));
                case 'm' -> out.append(String.format(Locale.ROOT, "%02d", t.getMonthValue()));
                case 'd' -> out.append(String.format(Locale.ROOT, "%02d", t.getDayOfMonth()));
                case 'H' -> out.append(String.format(Locale.ROOT, "%02d", t.getHour()));
                case 'M' -> out.append(String.format(Locale.ROOT, "%02d", t.getMinute()));
                case 'S' -> out.append(String.format(Locale.ROOT, "%02d", t.getSecond()));
                case 'j' -> out.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case 'a' -> out.append(DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH).format(t));
                case 'A' -> out.append(DateTimeFormatter.ofPattern("EEEE", Locale.ENGLISH).format(t));
                case 'b' -> out.append(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH).format(t));
                case 'B' -> out.append(DateTimeFormatter.ofPattern("MMMM", Locale.ENGLISH).format(t));
                case 's' -> out.append(t.toEpochSecond());
                case '%' -> out.append('%');
                default -> out.append('%').append(e);
            }
        }
        return out.toString();
    }
}
