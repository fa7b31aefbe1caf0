package io.jpgpool.config;

import java.util.Locale;

/** A pool_hba.conf keyword enum: the constant's name in lower case with {@code -} for {@code _}. */
interface HbaKeyword {

    String name();

    /** The keyword as written in pool_hba.conf. */
    default String hbaName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant written {@code text} (exact: pgpool compares with strcmp), or null. */
    static <E extends HbaKeyword> E lookup(E[] values, String text) {
        for (E e : values) {
            if (e.hbaName().equals(text)) {
                return e;
            }
        }
        return null;
    }
}
