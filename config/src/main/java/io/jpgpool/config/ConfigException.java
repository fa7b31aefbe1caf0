package io.jpgpool.config;

import java.util.Optional;

/**
 * A configuration file or value that cannot be used. The message reads
 * {@code <file>:<line>: <parameter>: <reason>}; parts that do not apply are left out
 * (a value given with {@code PGPOOL SET} has no file, a syntax error no parameter).
 */
public final class ConfigException extends Exception {

    private final String file;
    private final int line;
    private final String parameter;
    private final String reason;

    /**
     * @param file      file name as given by the caller, or null
     * @param line      1-based line number, or 0 if none
     * @param parameter parameter name as written (lower case), or null
     * @param reason    what is wrong
     */
    public ConfigException(String file, int line, String parameter, String reason) {
        super(format(file, line, parameter, reason));
        this.file = file;
        this.line = line;
        this.parameter = parameter;
        this.reason = reason;
    }

    ConfigException(String file, int line, String parameter, String reason, Throwable cause) {
        this(file, line, parameter, reason);
        initCause(cause);
    }

    static String format(String file, int line, String parameter, String text) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (parameter != null) {
            sb.append(parameter).append(": ");
        }
        return sb.append(text).toString();
    }

    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** 1-based line, 0 if the error is not tied to a line. */
    public int line() {
        return line;
    }

    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    /** The message without the location ("invalid value ...: must be ..."). */
    public String reason() {
        return reason;
    }
}
