package io.jpgpool.pcp.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * glibc's {@code getopt_long}, as the pcp tools parse their command lines: options and operands may be mixed
 * (operands are collected and handed back at the end; with {@code POSIXLY_CORRECT} the first operand ends the
 * options), {@code --} ends the options, short options cluster ({@code -wv}) and take their argument attached
 * or as the next word even if it starts with {@code -}, long options may be abbreviated to a unique prefix.
 * Errors are printed with glibc 2.36's wording and answered with {@code '?'}.
 */
final class GetoptLong {
    /** One long option: its name, whether it takes an argument, and the character it stands for. */
    record LongOption(String name, boolean hasArg, char val) {
    }

    private final String argv0;
    private final String[] args;
    private final String optstring;
    private final List<LongOption> longOptions;
    private final boolean posixlyCorrect;
    private final PrintStream err;
    private final List<String> operands = new ArrayList<>();
    private int index;
    /** The rest of a cluster of short options being read ({@code "v"} after {@code -w} of {@code -wv}). */
    private String cluster = "";
    private String optarg;
    private boolean done;

    GetoptLong(String argv0, String[] args, String optstring, List<LongOption> longOptions, boolean posixlyCorrect,
            PrintStream err) {
        this.argv0 = argv0;
        this.args = args.clone();
        this.optstring = optstring;
        this.longOptions = List.copyOf(longOptions);
        this.posixlyCorrect = posixlyCorrect;
        this.err = err;
    }

    /** The argument of the option just returned, or null (glibc clears it at every call). */
    String optarg() {
        return optarg;
    }

    /** The operands, in order, once {@link #next} has returned -1. */
    List<String> operands() {
        return List.copyOf(operands);
    }

    /** The next option character, {@code '?'} after an error (already printed), or -1 when done. */
    int next() {
        optarg = null;
        if (done) {
            return -1;
        }
        if (cluster.isEmpty()) {
            while (true) {
                if (index >= args.length) {
                    done = true;
                    return -1;
                }
                String a = args[index];
                if (a.equals("--")) {
                    index++;
                    finish();
                    return -1;
                }
                if (a.startsWith("--")) {
                    index++;
                    return longOption(a.substring(2));
                }
                if (a.startsWith("-") && a.length() > 1) {
                    index++;
                    cluster = a.substring(1);
                    break;
                }
                if (posixlyCorrect) {
                    finish();
                    return -1;
                }
                operands.add(a);
                index++;
            }
        }
        char c = cluster.charAt(0);
        cluster = cluster.substring(1);
        int at = optstring.indexOf(c);
        if (at < 0 || c == ':') {
            err.println(argv0 + ": invalid option -- '" + c + "'");
            return '?';
        }
        boolean takesArg = at + 1 < optstring.length() && optstring.charAt(at + 1) == ':';
        if (takesArg) {
            if (!cluster.isEmpty()) {
                optarg = cluster;
                cluster = "";
            } else if (index < args.length) {
                optarg = args[index++];
            } else {
                err.println(argv0 + ": option requires an argument -- '" + c + "'");
                return '?';
            }
        }
        return c;
    }

    /** Everything left is an operand. */
    private void finish() {
        while (index < args.length) {
            operands.add(args[index++]);
        }
        done = true;
    }

    private int longOption(String text) {
        int eq = text.indexOf('=');
        String name = eq < 0 ? text : text.substring(0, eq);
        LongOption found = null;
        for (LongOption o : longOptions) {
            if (o.name().equals(name)) {
                found = o;
                break;
            }
        }
        if (found == null) {
            List<LongOption> ambiguous = new ArrayList<>();
            for (LongOption o : longOptions) {
                if (!o.name().startsWith(name)) {
                    continue;
                }
                if (found == null) {
                    found = o;
                } else if (found.hasArg() != o.hasArg() || found.val() != o.val()) {
                    if (ambiguous.isEmpty()) {
                        ambiguous.add(found);
                    }
                    ambiguous.add(o);
                }
            }
            if (!ambiguous.isEmpty()) {
                StringBuilder sb = new StringBuilder(argv0 + ": option '--" + text + "' is ambiguous; possibilities:");
                for (LongOption o : longOptions) {
                    if (ambiguous.contains(o)) {
                        sb.append(" '--").append(o.name()).append('\'');
                    }
                }
                err.println(sb);
                return '?';
            }
        }
        if (found == null) {
            err.println(argv0 + ": unrecognized option '--" + text + "'");
            return '?';
        }
        if (eq >= 0) {
            if (!found.hasArg()) {
                err.println(argv0 + ": option '--" + found.name() + "' doesn't allow an argument");
                return '?';
            }
            optarg = text.substring(eq + 1);
        } else if (found.hasArg()) {
            if (index < args.length) {
                optarg = args[index++];
            } else {
                err.println(argv0 + ": option '--" + found.name() + "' requires an argument");
                return '?';
            }
        }
        return found.val();
    }
}
