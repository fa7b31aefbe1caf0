package io.jpgpool.cluster;

import java.util.Objects;

/** A login role created on the primary (or on every independent server) after the first start. */
public record PgUser(String name, String password) {
    public PgUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
    }
}
