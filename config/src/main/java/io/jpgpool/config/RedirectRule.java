package io.jpgpool.config;

import java.util.regex.Pattern;

/**
 * One entry of {@code database_redirect_preference_list} or {@code app_name_redirect_preference_list}:
 * {@code regex:target[(weight)]} (SEMANTICS §A.6). The first rule whose pattern matches wins.
 *
 * @param pattern anchored, case-insensitive pattern for the database or application name
 * @param target  where to send reads when the rule applies
 * @param weight  0..1: the probability of choosing the target (default 1.0)
 */
public record RedirectRule(Pattern pattern, RedirectTarget target, double weight) {

    /** True if this rule applies to {@code name} (a database or startup-packet application_name). */
    public boolean matches(String name) {
        return pattern.matcher(name).matches();
    }

    // Pattern has identity equality; compare rules by their text so that equal configs compare equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof RedirectRule r
                && r.pattern.pattern().equals(pattern.pattern())
                && r.pattern.flags() == pattern.flags()
                && r.target.equals(target)
                && Double.compare(r.weight, weight) == 0;
    }

    @Override
    public int hashCode() {
        return pattern.pattern().hashCode() * 31 + target.hashCode();
    }
}
