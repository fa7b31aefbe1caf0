package io.jpgpool.config;

/**
 * Something in a configuration file that jpgpool ignores or reinterprets: an unknown parameter,
 * a deprecated name, a parameter jpgpool does not support yet.
 *
 * @param file      file name, or null for values given without a file
 * @param line      1-based line, 0 if none
 * @param parameter the parameter name as written (lower case)
 * @param message   what happens
 */
public record ConfigWarning(String file, int line, String parameter, String message) {

    /** {@code file:line: parameter: message}. */
    @Override
    public String toString() {
        return ConfigException.format(file, line, parameter, message);
    }
}
