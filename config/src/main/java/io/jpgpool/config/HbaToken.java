package io.jpgpool.config;

/**
 * One database or user name of a pool_hba.conf line. A quoted token is never a keyword: {@code "all"} is the
 * database named all.
 *
 * @param text   the name, quotes removed ({@code ""} inside quotes is one {@code "})
 * @param quoted whether it was written in double quotes
 */
public record HbaToken(String text, boolean quoted) {

    boolean isKeyword(String keyword) {
        return !quoted && text.equals(keyword);
    }

    @Override
    public String toString() {
        return quoted ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
