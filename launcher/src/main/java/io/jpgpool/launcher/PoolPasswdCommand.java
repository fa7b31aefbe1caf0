package io.jpgpool.launcher;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolPasswd;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What pg_md5 and pg_enc share (src/tools/pgmd5, src/tools/pgenc): the password from the command line, a prompt or
 * a file of {@code username:password} lines, and the pool_passwd file that {@code -f pgpool.conf} names. Unlike
 * them, a prompt also reads from a pipe (they insist on a terminal).
 */
abstract class PoolPasswdCommand implements Callable<Integer> {
    /** pgpool's MAX_USER_NAME_LEN / MAX_PGPASS_LEN for the tools' input. */
    static final int MAX_INPUT = 128;

    @Option(names = {"-u", "--username"}, paramLabel = "USER",
            description = "the user of the pool_passwd entry (default: the OS user)")
    String username;

    @Option(names = {"-f", "--config-file"}, paramLabel = "CONFIG-FILE", defaultValue = "/etc/pgpool2/pgpool.conf",
            description = "pgpool.conf, whose pool_passwd is updated (default: ${DEFAULT-VALUE})")
    Path configFile;

    @Option(names = {"-i", "--input-file"}, paramLabel = "INPUT-FILE",
            description = "a file of username:password lines")
    Path inputFile;

    @Option(names = {"-p", "--prompt"}, description = "prompt for the password on standard input")
    boolean prompt;

    @Parameters(arity = "0..1", paramLabel = "PASSWORD", description = "the password (prefer -p or -i)")
    String password;

    PrintStream out = System.out;
    PrintStream err = System.err;
    BufferedReader stdin;

    /** The prompt of the tool ("password: ", "db password: "). */
    abstract String passwordPrompt();

    /** Prints or writes the entry for one user; false after an error it has reported. */
    abstract boolean handle(String user, String password) throws ConfigException;

    @Override
    public Integer call() throws Exception {
        if (inputFile != null) {
            return fromFile() ? 0 : 1;
        }
        String pw;
        if (prompt || password == null && promptsWithoutArgument()) {
            pw = readLine(passwordPrompt());
            if (pw == null) {
                err.println("Couldn't read input from stdin.");
                return 1;
            }
        } else if (password == null) {
            err.println("Error: no password given (use -p to be prompted)");
            return 1;
        } else {
            pw = password;
        }
        if (pw.length() > MAX_INPUT) {
            err.println("Error: Input exceeds maximum password length!");
            return 1;
        }
        return handle(user(), pw) ? 0 : 1;
    }

    /** pg_enc prompts when no password is given; pg_md5 prints its usage. */
    boolean promptsWithoutArgument() {
        return false;
    }

    String user() {
        return username != null && !username.isEmpty() ? username : System.getProperty("user.name");
    }

    /** pg_md5 -i / pg_enc -i: one {@code username:password} per line; the password may contain ':'. */
    private boolean fromFile() throws ConfigException {
        out.println("trying to read username:password pairs from file " + inputFile);
        List<String> lines;
        try {
            lines = Files.readAllLines(inputFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("failed to open input_file \"" + inputFile + "\" (" + e.getMessage() + ")");
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String tag = String.format("LINE#%02d: ", i + 1);
            if (line.isEmpty()) {
                out.println(tag + "BLANK LINE");
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                out.println(tag + "Invalid username:password pair");
                continue;
            }
            String user = line.substring(0, colon);
            String pw = line.substring(colon + 1);
            if (user.length() > MAX_INPUT || pw.length() > MAX_INPUT) {
                out.println(tag + "input exceeds maximum length " + MAX_INPUT);
                continue;
            }
            out.println(tag + "USER: <" + user + ">");
            ok &= handle(user, pw);
        }
        return ok;
    }

    /** Writes {@code user:stored} into the pool_passwd of {@code -f}. */
    boolean writeEntry(String user, String stored) throws ConfigException {
        PgpoolConfig config;
        try {
            config = PgpoolConfig.load(configFile);
        } catch (ConfigException e) {
            err.println("Unable to get configuration. Exiting...");
            err.println(e.getMessage());
            return false;
        }
        Path file = config.poolPasswdPath().orElse(null);
        if (file == null) {
            err.println("pool_passwd is disabled in " + configFile + " (pool_passwd = '')");
            return false;
        }
        PoolPasswd.update(file, user, stored);
        return true;
    }

    /** A line from the terminal without echo, else from standard input; null at end of input. */
    String readLine(String promptText) throws IOException {
        Console console = System.console();
        if (console != null && stdin == null) {
            char[] line = console.readPassword("%s", promptText);
            out.println();
            return line == null ? null : new String(line);
        }
        out.print(promptText);
        out.flush();
        if (stdin == null) {
            stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        String line = stdin.readLine();
        out.println();
        return line;
    }
}
