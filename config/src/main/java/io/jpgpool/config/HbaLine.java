package io.jpgpool.config;

import java.util.List;
import java.util.Map;

/**
 * One rule of pool_hba.conf: {@code type database user [address [mask]] method [name=value...]}.
 *
 * @param file      the file it was read from (an {@code @file} include adds names, never lines)
 * @param line      1-based line number
 * @param type      local, host, hostssl or hostnossl
 * @param databases database names and keywords ({@code all}, {@code sameuser}), {@code @file} expanded
 * @param users     user names and {@code all}, {@code @file} expanded
 * @param address   null for {@code local}
 * @param method    the authentication method
 * @param options   {@code name=value} options after the method, in order (none are valid for the methods
 *                  jpgpool has, so this is empty today)
 * @param rawLine   the line as written
 */
public record HbaLine(String file, int line, HbaConnectionType type, List<HbaToken> databases,
        List<HbaToken> users, HbaAddress address, HbaMethod method, Map<String, String> options, String rawLine) {

    public HbaLine {
        databases = List.copyOf(databases);
        users = List.copyOf(users);
        options = Map.copyOf(options);
    }

    /** pgpool's check_db: {@code all}, {@code sameuser} (database = user), or the database's name. */
    boolean matchesDatabase(String database, String user) {
        for (HbaToken t : databases) {
            if (t.isKeyword("all")) {
                return true;
            } else if (t.isKeyword("sameuser")) {
                if (database.equals(user)) {
                    return true;
                }
            } else if (t.isKeyword("samegroup") || t.isKeyword("samerole")) {
                return false; // pgpool knows no roles
            } else if (t.text().equals(database)) {
                return true;
            }
        }
        return false;
    }

    /** pgpool's check_user: {@code all} or the user's name; a {@code +group} ends the search unmatched. */
    boolean matchesUser(String user) {
        for (HbaToken t : users) {
            if (!t.quoted() && t.text().startsWith("+")) {
                return false;
            }
            if (t.text().equals(user) || t.isKeyword("all")) {
                return true;
            }
        }
        return false;
    }

    /** {@code file:line}, for log messages. */
    public String location() {
        return file + ":" + line;
    }
}
