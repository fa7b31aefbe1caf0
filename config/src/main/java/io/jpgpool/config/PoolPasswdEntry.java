package io.jpgpool.config;

/**
 * One pool_passwd line: a user and their stored password.
 *
 * @param user   the user name (backslash escapes removed)
 * @param secret the password in its stored form
 * @param line   1-based line in the file
 */
public record PoolPasswdEntry(String user, Secret secret, int line) {
}
